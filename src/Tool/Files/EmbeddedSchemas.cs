using System.Collections.Generic;
using System.IO;
using Overlay.Formats;
using Overlay.Layouts;

namespace Overlay.Tool.Files;

/// <summary>The schemas a file embeds, by section: what <c>schema</c> prints and <c>diff</c> compares.</summary>
internal static class EmbeddedSchemas
{
    /// <summary>
    /// Each records section that carries a schema, with it, in table order; for a record file, its
    /// "header" and "records", whose schemas are in its prefix.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a valid container or record file, or a schema in it is invalid.</exception>
    public static List<(string Section, string SchemaSection, LayoutInfo Layout)> Read(string path)
    {
        FileKind kind = FileDetector.Detect(path);
        if (kind == FileKind.RecordFile)
        {
            RecordFileSchemas? schemas = PlainFileReader.ReadRecordFileSchemas(path);
            return schemas is null
                ? []
                : [("header", "prefix", schemas.Header), ("records", "prefix", schemas.Record)];
        }

        return ReadContainer(path).ConvertAll(s => (s.Section.Name, s.SchemaSection, s.Layout));
    }

    /// <summary>Each records section of a container that carries a schema, with it, in table order.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid container, or a schema in it is invalid.</exception>
    public static List<(SectionInfo Section, string SchemaSection, LayoutInfo Layout)> ReadContainer(string path)
    {
        FileKind kind = FileDetector.Detect(path);
        if (kind != FileKind.Container)
        {
            throw new ToolException(ExitCodes.InvalidFile, $"{path} is a {Describe(kind)}: only containers and record files embed schemas (docs/formats.md §8.4).");
        }

        using MappedContainer container = ContainerOpener.Open(path);
        IReadOnlyList<SectionInfo> sections = container.Sections;
        var result = new List<(SectionInfo, string, LayoutInfo)>();
        foreach (SectionInfo section in sections)
        {
            if (section.Kind == SectionKind.Records && section.Schema != 0)
            {
                result.Add((section, Commands.InspectContainer.SchemaName(sections, section), container.GetSchema(section.Name)!));
            }
        }

        return result;
    }

    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Container => "container",
        FileKind.RecordFile => "record file",
        FileKind.HashIndex => "hash index",
        FileKind.SortedIndex => "sorted index",
        _ => kind.ToString(),
    };
}
