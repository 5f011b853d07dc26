using System;
using System.IO;
using Overlay.Tool.Cli;
using Xunit;

namespace Overlay.Tool.Tests;

/// <summary>One run of <c>overlay</c> in-process: what it printed and its exit code.</summary>
internal sealed record ToolRun(int ExitCode, string Output, string Error)
{
    public static ToolRun Of(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = OverlayCli.Run(args, new ToolConsole(output, error, interactive: false, width: 400));
        var run = new ToolRun(exit, output.ToString(), error.ToString());

        // Whatever happened, no stack trace reaches a user.
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output, StringComparison.Ordinal);
        return run;
    }

    public override string ToString() => $"exit {ExitCode}\n--- out\n{Output}\n--- err\n{Error}";
}
