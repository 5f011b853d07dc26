using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Tool.Cli;
using Overlay.Tool.Files;
using Overlay.Tool.Records;
using Spectre.Console;

namespace Overlay.Tool.Commands;

/// <summary><c>overlay inspect</c> on a container: the section table, then each records section's records decoded by its embedded schema.</summary>
internal static class InspectContainer
{
    public static int Run(ToolConsole io, InspectOptions options)
    {
        using MappedContainer container = ContainerOpener.Open(options.File);
        IReadOnlyList<SectionInfo> sections = container.Sections;
        List<SectionInfo> shown = Select(sections, options.Section, options.File);
        var views = new List<SectionView>();
        foreach (SectionInfo section in shown)
        {
            views.Add(SectionView.Read(container, section, options));
        }

        if (options.Json)
        {
            io.Out.WriteLine(ValueText.Json(json =>
            {
                json.WriteStartObject();
                json.WriteString("file", options.File);
                json.WriteString("kind", "container");
                json.WriteString("tag", ValueText.Hex(container.Tag));
                json.WriteNumber("generation", container.Generation);
                json.WriteBoolean("sealed", container.IsSealed);
                json.WriteNumber("length", container.Map.Length);
                json.WriteNumber("freeBytes", container.FreeBytes);
                json.WriteStartArray("sections");
                foreach (SectionView view in views)
                {
                    view.WriteJson(json, sections);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }));
            return ExitCodes.Success;
        }

        io.Ansi.WriteLine($"{options.File}: Overlay container, tag {ValueText.Hex(container.Tag)}, generation {container.Generation}, {sections.Count} sections, {container.Map.Length} bytes ({container.FreeBytes} free){(container.IsSealed ? ", sealed" : string.Empty)}");
        Table table = Tables.Create("#", "name", "kind", "count", "stride", "length", "capacity", "layout", "version", "schema");
        foreach (SectionInfo s in sections)
        {
            SectionView? view = views.FirstOrDefault(v => v.Info.Index == s.Index);
            table.Row([
                s.Index.ToString(CultureInfo.InvariantCulture), s.Name, KindName(s.Kind), s.Count.ToString(CultureInfo.InvariantCulture),
                s.Stride.ToString(CultureInfo.InvariantCulture), s.Length.ToString(CultureInfo.InvariantCulture), s.Capacity.ToString(CultureInfo.InvariantCulture),
                view?.Layout?.Name ?? LayoutName(container, s),
                s.LayoutVersion.ToString(CultureInfo.InvariantCulture), SchemaName(sections, s)]);
        }

        io.Ansi.Write(table);
        foreach (SectionView view in views)
        {
            view.WriteText(io);
        }

        return ExitCodes.Success;
    }

    /// <summary>The layout a section's schema names, for the table (sections not shown are not decoded further).</summary>
    private static string LayoutName(MappedContainer container, SectionInfo section)
    {
        if (section.Kind != SectionKind.Records)
        {
            return string.Empty;
        }

        try
        {
            return container.GetSchema(section.Name)?.Name ?? "(no schema)";
        }
        catch (System.IO.InvalidDataException)
        {
            return "(invalid schema)";
        }
    }

    public static string KindName(SectionKind kind) => kind switch
    {
        SectionKind.Records => "records",
        SectionKind.Heap => "heap",
        SectionKind.Raw => "raw",
        SectionKind.Index => "index",
        SectionKind.Schema => "schema",
        SectionKind.Free => "free",
        _ => ((ushort)kind).ToString(CultureInfo.InvariantCulture),
    };

    public static string SchemaName(IReadOnlyList<SectionInfo> sections, SectionInfo section)
    {
        if (section.Schema == 0)
        {
            return string.Empty;
        }

        int index = (int)section.Schema - 1;
        return sections.FirstOrDefault(s => s.Index == index).Name ?? $"#{index}";
    }

    private static List<SectionInfo> Select(IReadOnlyList<SectionInfo> sections, string? name, string file)
    {
        if (name is null)
        {
            return sections.ToList();
        }

        List<SectionInfo> found = sections.Where(s => s.Name == name).ToList();
        if (found.Count == 0)
        {
            throw new ToolException(ExitCodes.Usage, $"{file} has no section '{name}'; its sections are {string.Join(", ", sections.Select(s => "'" + s.Name + "'"))}.");
        }

        return found;
    }

    /// <summary>One section as inspect shows it: for records with a schema, the window of records that pass the filter.</summary>
    private sealed class SectionView
    {
        private SectionView(SectionInfo info) => Info = info;

        public SectionInfo Info { get; }

        public LayoutInfo? Layout { get; private set; }

        public List<RecordValue>? Records { get; private set; }

        public List<(long Index, string Hex)>? RawRecords { get; private set; }

        public long Matched { get; private set; }

        public long Offset { get; private set; }

        /// <summary>An index section's header (which index, its format version, a hash index's function); null for other kinds.</summary>
        public IndexSectionHeader? IndexHeader { get; private set; }

        public static SectionView Read(MappedContainer container, SectionInfo info, InspectOptions options)
        {
            var view = new SectionView(info) { Offset = options.Offset };
            if (info.Kind == SectionKind.Index)
            {
                view.IndexHeader = IndexSectionHeader.Read(container, info);
                return view;
            }

            if (info.Kind != SectionKind.Records)
            {
                return view;
            }

            view.Layout = container.GetSchema(info.Name);
            int stride = (int)info.Stride;
            byte[] record = new byte[stride];
            if (view.Layout is null)
            {
                // No schema (a hand-written view): the bytes, as stored.
                view.RawRecords = [];
                for (long i = options.Offset; i < info.Count && view.RawRecords.Count < options.Count; i++)
                {
                    container.Map.ReadAt(info.Offset + (i * stride), record);
                    view.RawRecords.Add((i, Convert.ToHexString(record)));
                }

                view.Matched = info.Count;
                return view;
            }

            options.Filter.CheckAgainst(view.Layout, info.Name);
            var decoder = new RecordDecoder(view.Layout, HeapResolver(container));
            view.Records = [];
            long matched = 0;

            // Without a filter the window is known, and only it is read; with one, every record is
            // decoded and the window pages through the matches.
            long first = options.Filter.IsEmpty ? Math.Min(options.Offset, info.Count) : 0;
            for (long i = first; i < info.Count && (!options.Filter.IsEmpty || view.Records.Count < options.Count); i++)
            {
                container.Map.ReadAt(info.Offset + (i * stride), record);
                RecordValue value = decoder.Decode(i, record);
                if (!options.Filter.Accepts(value))
                {
                    continue;
                }

                if (matched++ >= options.Offset - first && view.Records.Count < options.Count)
                {
                    view.Records.Add(value);
                }
            }

            view.Matched = options.Filter.IsEmpty ? info.Count : matched;
            return view;
        }

        public void WriteText(ToolConsole io)
        {
            if (IndexHeader is not null)
            {
                io.Ansi.WriteLine();
                io.Ansi.WriteLine($"section '{Info.Name}': {IndexHeader}");
                return;
            }

            if (Info.Kind != SectionKind.Records)
            {
                return;
            }

            io.Ansi.WriteLine();
            string what = Layout is null ? $"{Info.Stride}-byte records, no schema: bytes as stored" : $"{Layout.Name} ({Layout.SizeInBytes}-byte records{(Info.Stride != Layout.SizeInBytes ? $", stride {Info.Stride}" : string.Empty)})";
            int shown = Records?.Count ?? RawRecords!.Count;
            string window = shown == 0 ? "no records shown" : $"records {Offset}..{Offset + shown - 1}";
            io.Ansi.WriteLine($"section '{Info.Name}': {what}; {window} of {Matched}{(Matched != Info.Count ? $" matching (of {Info.Count})" : string.Empty)}");
            if (shown == 0)
            {
                return;
            }

            if (Layout is null)
            {
                Table raw = Tables.Create("#", "bytes");
                foreach ((long index, string hex) in RawRecords!)
                {
                    raw.Row([index.ToString(CultureInfo.InvariantCulture), hex]);
                }

                io.Ansi.Write(raw);
                return;
            }

            Table table = Tables.Create(["#", .. Layout.Fields.Select(f => f.Name)]);
            foreach (RecordValue record in Records!)
            {
                table.Row([record.Index.ToString(CultureInfo.InvariantCulture), .. record.Fields.Select(f => ValueText.Format(f.Value))]);
            }

            io.Ansi.Write(table);
        }

        public void WriteJson(Utf8JsonWriter json, IReadOnlyList<SectionInfo> sections)
        {
            json.WriteStartObject();
            json.WriteNumber("index", Info.Index);
            json.WriteString("name", Info.Name);
            json.WriteString("kind", KindName(Info.Kind));
            json.WriteNumber("count", Info.Count);
            json.WriteNumber("stride", Info.Stride);
            json.WriteNumber("offset", Info.Offset);
            json.WriteNumber("length", Info.Length);
            json.WriteNumber("capacity", Info.Capacity);
            json.WriteString("fingerprint", ValueText.Hex(Info.Fingerprint));
            json.WriteNumber("layoutVersion", Info.LayoutVersion);
            if (Info.Schema != 0)
            {
                json.WriteString("schema", SchemaName(sections, Info));
            }

            if (Layout is not null)
            {
                json.WriteString("layout", Layout.Name);
            }

            if (IndexHeader is not null)
            {
                // As an index file's inspect writes its header: the same field names, numbers as numbers.
                json.WriteString("index", IndexHeader.Kind);
                json.WriteStartObject("header");
                foreach (KeyValuePair<string, object> field in IndexHeader.Fields)
                {
                    json.WritePropertyName(field.Key);
                    ValueText.WriteJson(json, field.Value is uint u ? (long)u : field.Value);
                }

                json.WriteEndObject();
            }

            if (Records is not null || RawRecords is not null)
            {
                json.WriteNumber("matched", Matched);
                json.WriteNumber("offset", Offset);
                json.WriteStartArray("records");
                foreach (RecordValue record in Records ?? [])
                {
                    json.WriteStartObject();
                    json.WriteNumber("#", record.Index);
                    foreach (KeyValuePair<string, object?> field in record.Fields)
                    {
                        json.WritePropertyName(field.Key);
                        ValueText.WriteJson(json, field.Value);
                    }

                    json.WriteEndObject();
                }

                foreach ((long index, string hex) in RawRecords ?? [])
                {
                    json.WriteStartObject();
                    json.WriteNumber("#", index);
                    json.WriteString("bytes", hex);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        /// <summary>With exactly one heap, heap references show their values; with several, which heap a reference means is the application's knowledge.</summary>
        private static Func<HeapRef, bool, string>? HeapResolver(MappedContainer container)
        {
            List<SectionInfo> heaps = container.Sections.Where(s => s.Kind == SectionKind.Heap).ToList();
            if (heaps.Count != 1)
            {
                return null;
            }

            HeapSection heap = container.Heap(heaps[0].Name);
            return (reference, text) =>
            {
                try
                {
                    byte[] bytes = heap.ToArray(reference);
                    return text ? Encoding.UTF8.GetString(bytes) : Convert.ToHexString(bytes);
                }
                catch (System.IO.InvalidDataException e)
                {
                    return $"<bad reference [{reference.Offset}, {reference.Length}]: {e.Message}>";
                }
            };
        }
    }
}
