using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using Overlay.Tool.Commands;
using Overlay.Tool.Records;

namespace Overlay.Tool.Cli;

/// <summary>
/// The <c>overlay</c> command line (System.CommandLine): one subcommand per job, each action a
/// call into <c>Commands/</c>, every failure turned into one message on standard error and an
/// exit code from <see cref="ExitCodes"/> — never a stack trace.
/// </summary>
internal static class OverlayCli
{
    public static int Run(string[] args, ToolConsole io)
    {
        RootCommand root = Build(io);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError error in parsed.Errors)
            {
                io.Error.WriteLine($"overlay: {error.Message}");
            }

            io.Error.WriteLine("Run 'overlay --help' for the commands and their options.");
            return ExitCodes.Usage;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = io.Out, Error = io.Error, EnableDefaultExceptionHandler = false });
    }

    private static RootCommand Build(ToolConsole io)
    {
        var root = new RootCommand("Inspect, verify, diff and upgrade Overlay files (containers, record files, indexes) from their embedded schemas. Exit codes: 0 ok, 1 problems found / incompatible, 2 usage, 3 invalid file, 4 I/O error, 5 upgrade refused (docs/tool.md).");
        root.Add(Inspect(io));
        root.Add(Verify(io));
        root.Add(Schema(io));
        root.Add(Diff(io));
        root.Add(Upgrade(io));
        return root;
    }

    private static Argument<string> FileArgument(string description = "The Overlay file.") => new("file") { Description = description };

    private static Option<bool> JsonOption() => new("--json") { Description = "Write JSON instead of tables." };

    private static Command Inspect(ToolConsole io)
    {
        Argument<string> file = FileArgument();
        Option<bool> json = JsonOption();
        var section = new Option<string?>("--section") { Description = "Show only this section (containers)." };
        var offset = new Option<long>("--offset") { Description = "The first record to show (of those that match --where).", DefaultValueFactory = _ => 0 };
        var count = new Option<long>("--count") { Description = "How many records to show per section.", DefaultValueFactory = _ => 20 };
        var where = new Option<string[]>("--where") { Description = "Only records whose field equals the value: field=value, a dotted path for nested fields; repeat for AND.", AllowMultipleArgumentsPerToken = false };
        var command = new Command("inspect", "Print the file's kind, its sections and layouts, and its records decoded by the embedded schema (no assembly needed).") { file, json, section, offset, count, where };
        command.SetAction(result => Guard(io, () =>
        {
            long first = result.GetValue(offset), many = result.GetValue(count);
            if (first < 0 || many < 0)
            {
                throw new ToolException(ExitCodes.Usage, "--offset and --count must not be negative.");
            }

            return InspectCommand.Run(io, new InspectOptions(result.GetValue(file)!, result.GetValue(json), result.GetValue(section), first, many, RecordFilter.Parse(result.GetValue(where))));
        }));
        return command;
    }

    private static Command Verify(ToolConsole io)
    {
        Argument<string> file = FileArgument();
        Option<bool> json = JsonOption();
        var command = new Command("verify", "Check every structural invariant the runtime's Open checks, every schema, every heap block and every heap reference; list every problem. Exit 1 when there is one.") { file, json };
        command.SetAction(result => Guard(io, () => VerifyCommand.Run(io, result.GetValue(file)!, result.GetValue(json))));
        return command;
    }

    private static Command Schema(ToolConsole io)
    {
        Argument<string> file = FileArgument();
        Option<bool> json = JsonOption();
        var section = new Option<string?>("--section") { Description = "Only this section's schema." };
        var command = new Command("schema", "Print the schemas the file embeds (field names, kinds, offsets, sizes, byte order, nested layouts).") { file, json, section };
        command.SetAction(result => Guard(io, () => SchemaCommand.Run(io, result.GetValue(file)!, result.GetValue(json), result.GetValue(section))));
        return command;
    }

    private static Command Diff(ToolConsole io)
    {
        Argument<string> stored = FileArgument("The older file (its layouts as stored).");
        Argument<string> current = new("current") { Description = "The newer file (its layouts as the new code writes them)." };
        Option<bool> json = JsonOption();
        var command = new Command("diff", "Compare two files' schemas section by section, by field name. Exit 0 when compatible (append-only), 1 when an upgrade is needed.") { stored, current, json };
        command.SetAction(result => Guard(io, () => DiffCommand.Run(io, result.GetValue(stored)!, result.GetValue(current)!, result.GetValue(json))));
        return command;
    }

    private static Command Upgrade(ToolConsole io)
    {
        Argument<string> file = FileArgument("The container or record file to upgrade in place (crash-safely: new file, then rename).");
        var assembly = new Option<string>("--assembly") { Description = "The assembly (.dll) that declares the new layout, and its [UpgradeConverter] methods.", Required = true };
        var layout = new Option<string>("--layout") { Description = "The layout's type: its full name (or its name, when unique). For a record file, the records' layout.", Required = true };
        var section = new Option<string[]>("--section") { Description = "Containers: a records section to convert (repeatable); default: the sections stored as the same type, or the only records section." };
        var header = new Option<string?>("--header-layout") { Description = "Record files: the header's new layout; default: the type the file's header schema names." };
        var command = new Command("upgrade", "Rewrite a container's records sections, or a record file's header and records, into new layouts from your assembly (renames by [FormerName], widening, added and removed fields, and the layouts' [UpgradeConverter] methods for the rest), with the runtime's Upgrade.") { file, assembly, layout, section, header };
        command.SetAction(result => Guard(io, () => UpgradeCommand.Run(io, result.GetValue(file)!, result.GetValue(assembly)!, result.GetValue(layout)!, result.GetValue(section) ?? [], result.GetValue(header))));
        return command;
    }

    /// <summary>Every failure as one line on standard error with its documented exit code.</summary>
    private static int Guard(ToolConsole io, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (ToolException e)
        {
            io.Error.WriteLine($"overlay: {e.Message}");
            return e.ExitCode;
        }
        catch (InvalidDataException e)
        {
            io.Error.WriteLine($"overlay: invalid file: {e.Message}");
            return ExitCodes.InvalidFile;
        }
        catch (KeyNotFoundException e)
        {
            io.Error.WriteLine($"overlay: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            io.Error.WriteLine($"overlay: {e.Message}");
            return ExitCodes.IOFailure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            io.Error.WriteLine($"overlay: I/O error: {e.Message}");
            return ExitCodes.IOFailure;
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException)
        {
            // The runtime refusing what this file asks (a layout it cannot describe, a path it cannot use).
            io.Error.WriteLine($"overlay: {e.Message}");
            return ExitCodes.InvalidFile;
        }
    }
}
