using System;
using System.IO;
using Spectre.Console;

namespace Overlay.Tool.Cli;

/// <summary>
/// Where a command writes: plain text and JSON to <see cref="Out"/>, tables through
/// <see cref="Ansi"/> (Spectre, over the same writer), messages to <see cref="Error"/>. Tests
/// hand in string writers; the program hands in the process's streams.
/// </summary>
internal sealed class ToolConsole
{
    public ToolConsole(TextWriter output, TextWriter error, bool interactive, int width = 160)
    {
        Out = output;
        Error = error;
        Interactive = interactive;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });

        // Redirected output has no width: tables must not wrap at Spectre's default of 80.
        if (!interactive)
        {
            Ansi.Profile.Width = width;
        }
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public IAnsiConsole Ansi { get; }

    /// <summary>Whether a person watches a terminal: progress bars are shown only then (never into a file or a pipe).</summary>
    public bool Interactive { get; }

    /// <summary>The process's own console; progress only when neither output nor error is redirected.</summary>
    public static ToolConsole ForProcess() =>
        new(Console.Out, Console.Error, !Console.IsOutputRedirected && !Console.IsErrorRedirected);
}
