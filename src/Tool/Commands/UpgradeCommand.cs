using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Overlay.Formats;
using Overlay.Layouts;
using Overlay.Schemas;
using Overlay.Tool.Cli;
using Overlay.Tool.Files;
using Overlay.Tool.Upgrading;
using Spectre.Console;

namespace Overlay.Tool.Commands;

/// <summary>
/// <c>overlay upgrade FILE --assembly PATH --layout TYPE [--section NAME]... [--header-layout TYPE]</c>:
/// loads the user's layout and runs the runtime's <see cref="MappedContainer.Upgrade"/> on a
/// container, or <c>RecordFile.Upgrade</c> on a record file (<see cref="RecordFileUpgrade"/>), with
/// the converters the layouts declare (<c>[UpgradeConverter]</c>). New file, flush, rename: the old
/// file is intact unless the whole upgrade succeeded. Sections already in the layout are left alone.
/// </summary>
internal static class UpgradeCommand
{
    public static int Run(ToolConsole io, string file, string assemblyPath, string typeName, IReadOnlyList<string> sectionNames, string? headerTypeName = null)
    {
        FileKind kind = FileDetector.Detect(file);
        if (kind is not (FileKind.Container or FileKind.RecordFile))
        {
            throw new ToolException(ExitCodes.InvalidFile, $"{file} is a {EmbeddedSchemas.Describe(kind)}: only containers and record files embed schemas and can be upgraded (docs/formats.md §8.5).");
        }

        if (kind == FileKind.RecordFile && sectionNames.Count > 0)
        {
            throw new ToolException(ExitCodes.Usage, $"--section: {file} is a record file, which has no sections (its header and records are upgraded together).");
        }

        if (kind == FileKind.Container && headerTypeName is not null)
        {
            throw new ToolException(ExitCodes.Usage, $"--header-layout: {file} is a container, which has no header layout (it is for record files).");
        }

        LayoutLoader loader = LayoutLoader.Open(assemblyPath);
        if (kind == FileKind.RecordFile)
        {
            return RecordFileUpgrade.Run(io, file, loader, typeName, headerTypeName);
        }

        Type type = loader.Find(typeName, "--layout");
        LayoutInfo target = UserLayouts.InfoOf(type);
        List<(SectionInfo Section, string SchemaSection, LayoutInfo Layout)> schemas = EmbeddedSchemas.ReadContainer(file);
        List<(SectionInfo Section, string SchemaSection, LayoutInfo Layout)> chosen = Choose(file, schemas, target, sectionNames);

        var plan = new ContainerUpgrade();
        MethodInfo records = typeof(ContainerUpgrade).GetMethod(nameof(ContainerUpgrade.Records))!.MakeGenericMethod(type);
        long total = 0;
        foreach ((SectionInfo section, _, LayoutInfo stored) in chosen)
        {
            if (!UserLayouts.IsVersionOf(target, stored))
            {
                throw new ToolException(ExitCodes.UpgradeRefused, $"upgrade refused, {file} is unchanged: --layout {target.Name} is not a version of section '{section.Name}''s layout {stored.Name}: they share no field by name or [FormerName] (stored: {UserLayouts.FieldNames(stored)}; {target.Name}: {UserLayouts.FieldNames(target)}).");
            }

            SchemaComparison comparison = SchemaComparison.Compare(stored, target);
            if (comparison.IsIdentical)
            {
                io.Out.WriteLine($"section '{section.Name}' is already {target.Name}: left as it is.");
                continue;
            }

            RecordFileUpgrade.WriteChange(io, $"section '{section.Name}': {section.Count} records, ", stored, target, comparison);

            Invoke(records, plan, section.Name);
            total += section.Count;
        }

        if (total == 0 && chosen.All(c => SchemaComparison.Compare(c.Layout, target).IsIdentical))
        {
            io.Out.WriteLine("nothing to upgrade.");
            return ExitCodes.Success;
        }

        ulong tag = ContainerOpener.ReadTag(file);
        long converted = UserLayouts.Run(file, () => io.Interactive && total > 0
            ? RunWithProgress(io, file, tag, plan, total)
            : MappedContainer.Upgrade(file, tag, plan));

        io.Out.WriteLine($"upgraded {converted} records of {file} to {target.Name}; the old file was replaced (new file, flush, rename).");
        return ExitCodes.Success;
    }

    private static List<(SectionInfo Section, string SchemaSection, LayoutInfo Layout)> Choose(
        string file, List<(SectionInfo Section, string SchemaSection, LayoutInfo Layout)> schemas, LayoutInfo target, IReadOnlyList<string> names)
    {
        string available = string.Join(", ", schemas.Select(s => $"'{s.Section.Name}' ({s.Layout.Name})"));
        if (names.Count > 0)
        {
            var chosen = new List<(SectionInfo, string, LayoutInfo)>();
            foreach (string name in names)
            {
                (SectionInfo Section, string SchemaSection, LayoutInfo Layout) found = schemas.FirstOrDefault(s => s.Section.Name == name);
                if (found.Layout is null)
                {
                    throw new ToolException(ExitCodes.Usage, $"--section {name}: {file} has no records section of that name with a schema; those it has: {available}.");
                }

                chosen.Add(found);
            }

            return chosen;
        }

        // Without --section: the sections stored as the same type (an earlier version of it), or
        // else the only records section; anything else is a guess the tool will not make.
        var same = schemas.Where(s => s.Layout.Name == target.Name).ToList();
        if (same.Count > 0)
        {
            return same;
        }

        if (schemas.Count == 1)
        {
            return schemas;
        }

        throw new ToolException(ExitCodes.Usage, $"{file}: no section stores {target.Name}, and it has {schemas.Count} records sections with schemas ({available}): name the ones to upgrade with --section.");
    }

    private static void Invoke(MethodInfo records, ContainerUpgrade plan, string section)
    {
        try
        {
            records.Invoke(plan, [section, null]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    private static long RunWithProgress(ToolConsole io, string file, ulong tag, ContainerUpgrade plan, long total)
    {
        long converted = 0;
        io.Ansi.Progress().Start(context =>
        {
            ProgressTask task = context.AddTask("converting records", maxValue: total);
            converted = MappedContainer.Upgrade(file, tag, plan, new Reporter(task));
            task.Value = total;
        });
        return converted;
    }

    /// <summary>Reports on the upgrading thread itself (<see cref="Progress{T}"/> would post to the thread pool and arrive late).</summary>
    internal sealed class Reporter(ProgressTask task) : IProgress<long>
    {
        public void Report(long value) => task.Value = value;
    }
}
