using System;

namespace Overlay.Tool;

/// <summary>A failure the tool reports as one line and an exit code (<see cref="ExitCodes"/>), never as a stack trace.</summary>
internal sealed class ToolException : Exception
{
    public ToolException(int exitCode, string message, Exception? inner = null)
        : base(message, inner) => ExitCode = exitCode;

    public int ExitCode { get; }
}
