using System;
using System.IO;
using System.Reflection;
using Overlay.Layouts;
using Overlay.Schemas;
using Overlay.Tool.Cli;
using Overlay.Tool.Files;
using Overlay.Tool.Upgrading;
using Spectre.Console;

namespace Overlay.Tool.Commands;

/// <summary>
/// <c>overlay upgrade FILE.rec --assembly PATH --layout TYPE [--header-layout TYPE]</c>: loads the
/// user's layouts and runs the runtime's <c>RecordFile&lt;THeaderView, TRecordView&gt;.Upgrade</c>
/// (docs/formats.md §8.5) with the converters the layouts declare. The header's layout is the one
/// <c>--header-layout</c> names, or else the type of the assembly the file's header schema names.
/// </summary>
internal static class RecordFileUpgrade
{
    public static int Run(ToolConsole io, string file, LayoutLoader loader, string typeName, string? headerTypeName)
    {
        RecordFileSchemas stored = PlainFileReader.ReadRecordFileSchemas(file)
            ?? throw new ToolException(ExitCodes.InvalidFile, $"{file} is a record file written before record files embedded their schemas: it cannot be upgraded field by field (docs/formats.md §8.4); copy its records into a new file with your code.");

        Type record = loader.Find(typeName, "--layout");
        Type header = headerTypeName is not null
            ? loader.Find(headerTypeName, "--header-layout")
            : loader.FindLayout(stored.Header.Name)
                ?? throw new ToolException(ExitCodes.Usage, $"{file}: its header is stored as {stored.Header.Name}, and {loader.AssemblyFile} has no layout of that name: name the header's new layout with --header-layout.");
        LayoutInfo recordLayout = UserLayouts.InfoOf(record);
        LayoutInfo headerLayout = UserLayouts.InfoOf(header);
        CheckIsVersion(file, "--layout", "records", recordLayout, stored.Record);
        CheckIsVersion(file, "--header-layout", "header", headerLayout, stored.Header);

        SchemaComparison records = SchemaComparison.Compare(stored.Record, recordLayout);
        SchemaComparison heading = SchemaComparison.Compare(stored.Header, headerLayout);
        long count = ReadCount(file);
        if (records.IsIdentical && heading.IsIdentical)
        {
            io.Out.WriteLine($"{file} is already {recordLayout.Name} with a {headerLayout.Name} header: nothing to upgrade.");
            return ExitCodes.Success;
        }

        Describe(io, "header", stored.Header, headerLayout, heading, null);
        Describe(io, "records", stored.Record, recordLayout, records, count);

        MethodInfo upgrade = typeof(RecordFile<,>).MakeGenericType(UserLayouts.ViewOf(header), UserLayouts.ViewOf(record))
            .GetMethod("Upgrade", BindingFlags.Public | BindingFlags.Static)!;
        ulong magic = ReadMagic(file);
        long converted = UserLayouts.Run(file, () => io.Interactive && count > 0
            ? WithProgress(io, count, progress => Invoke(upgrade, file, magic, progress))
            : Invoke(upgrade, file, magic, null));

        io.Out.WriteLine($"upgraded {converted} records of {file} to {recordLayout.Name} (header {headerLayout.Name}); the old file was replaced (new file, flush, rename).");
        return ExitCodes.Success;
    }

    private static void CheckIsVersion(string file, string option, string part, LayoutInfo target, LayoutInfo stored)
    {
        if (!UserLayouts.IsVersionOf(target, stored))
        {
            throw new ToolException(ExitCodes.UpgradeRefused, $"upgrade refused, {file} is unchanged: {option} {target.Name} is not a version of the file's {part} layout {stored.Name}: they share no field by name or [FormerName] (stored: {UserLayouts.FieldNames(stored)}; {target.Name}: {UserLayouts.FieldNames(target)}).");
        }
    }

    private static void Describe(ToolConsole io, string part, LayoutInfo stored, LayoutInfo target, SchemaComparison comparison, long? count)
    {
        string records = count is null ? string.Empty : $"{count} records, ";
        if (comparison.IsIdentical)
        {
            io.Out.WriteLine($"{part}: {records}{stored.Name}, unchanged.");
            return;
        }

        WriteChange(io, $"{part}: {records}", stored, target, comparison);
    }

    /// <summary>
    /// What an upgrade of one part will change, for both commands: the sizes, each difference, and
    /// the converters the target layout declares.
    /// </summary>
    internal static void WriteChange(ToolConsole io, string heading, LayoutInfo stored, LayoutInfo target, SchemaComparison comparison)
    {
        io.Out.WriteLine($"{heading}{stored.Name} ({stored.SizeInBytes} bytes) -> {target.Name} ({target.SizeInBytes} bytes)");
        foreach (SchemaDifference difference in comparison.Differences)
        {
            io.Out.WriteLine($"  {difference.Description}");
        }

        if (UserLayouts.DeclaredConverters(target) is { } declared)
        {
            io.Out.WriteLine(declared);
        }
    }

    private static long Invoke(MethodInfo upgrade, string file, ulong magic, IProgress<long>? progress) =>
        (long)upgrade.Invoke(null, [file, magic, null, null, progress])!;

    private static long WithProgress(ToolConsole io, long total, Func<IProgress<long>, long> upgrade)
    {
        long converted = 0;
        io.Ansi.Progress().Start(context =>
        {
            ProgressTask task = context.AddTask("converting records", maxValue: total);
            converted = upgrade(new UpgradeCommand.Reporter(task));
            task.Value = total;
        });
        return converted;
    }

    private static RecordFilePrefix ReadPrefix(string file)
    {
        byte[] head = new byte[RecordFileFormat.PrefixSize];
        using FileStream stream = File.OpenRead(file);
        stream.ReadExactly(head);
        return RecordFilePrefix.Read(head);
    }

    private static ulong ReadMagic(string file) => ReadPrefix(file).Magic;

    private static long ReadCount(string file) => (long)Math.Min(ReadPrefix(file).RecordCount, long.MaxValue);
}
