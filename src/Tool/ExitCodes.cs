namespace Overlay.Tool;

/// <summary>The exit codes of every <c>overlay</c> command (docs/tool.md lists them; scripts rely on them).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked; <c>verify</c> found nothing wrong; <c>diff</c> found the schemas compatible.</summary>
    public const int Success = 0;

    /// <summary><c>verify</c> found problems, or <c>diff</c> found an incompatible difference: the command ran, the answer is "no".</summary>
    public const int Problems = 1;

    /// <summary>The command line is wrong: an unknown option, a missing argument, a section or layout that does not exist.</summary>
    public const int Usage = 2;

    /// <summary>The file is not a valid Overlay file (damaged, truncated, hostile, or of a kind the tool does not know): the runtime's <c>InvalidDataException</c>.</summary>
    public const int InvalidFile = 3;

    /// <summary>The file could not be read or written: missing, no permission, an I/O error.</summary>
    public const int IOFailure = 4;

    /// <summary>
    /// <c>upgrade</c> refused: a field could lose values and the layout declares no converter for it
    /// (<c>[UpgradeConverter]</c>), a declared converter threw, the layout is not a version of the
    /// stored one (no field in common), or the user's assembly cannot be used. The file is unchanged.
    /// </summary>
    public const int UpgradeRefused = 5;
}
