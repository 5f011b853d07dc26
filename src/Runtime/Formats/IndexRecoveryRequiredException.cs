using System;

namespace Overlay.Formats;

/// <summary>
/// A container holds a hash index section that a writer changed after the container's last commit
/// and did not commit (it crashed or was killed): <see cref="MappedContainer.Compact"/> and
/// <see cref="MappedContainer.Upgrade"/> refuse it, since the copy would keep only the committed
/// length and lose what recovery needs. Open the index with <c>HashIndex(name, recover: true)</c>,
/// commit, and run them again.
/// </summary>
public sealed class IndexRecoveryRequiredException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The container.</param>
    /// <param name="sectionName">The index section that needs recovery.</param>
    /// <param name="state">What its header and entry say.</param>
    public IndexRecoveryRequiredException(string path, string sectionName, string state)
        : base($"{path}: the hash index in section '{sectionName}' was changed after the container's last Commit by a writer that did not commit ({state}); open it with HashIndex(\"{sectionName}\", recover: true) in a writable container and Commit before compacting or upgrading the file. Nothing was written.")
    {
        SectionName = sectionName;
    }

    /// <summary>The index section that needs recovery.</summary>
    public string SectionName { get; }
}
