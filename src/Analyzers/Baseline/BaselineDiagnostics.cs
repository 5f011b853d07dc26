using Microsoft.CodeAnalysis;
using Overlay.Analyzers.Diagnostics;

namespace Overlay.Analyzers.Baseline;

/// <summary>
/// The descriptors of the layout-evolution rules: the schema baseline (OVL201–OVL207) and the values
/// a layout declares for its evolution (OVL210, OVL211). OVL2xx: a range of their own, apart from the
/// generator's layout rules (OVL1xx).
/// </summary>
internal static class BaselineDiagnostics
{
    public const string Category = "Overlay.Versioning";

    public const string BreakingChangeId = "OVL201";
    public const string CompatibleChangeId = "OVL202";
    public const string NewLayoutId = "OVL203";
    public const string RemovedLayoutId = "OVL204";
    public const string UnrecordedVersionId = "OVL205";
    public const string BadBaselineId = "OVL206";
    public const string VersionGoesBackId = "OVL207";
    public const string NegativeVersionId = "OVL210";
    public const string BadDefaultValueId = "OVL211";

    /// <summary>The property holding the layout's full name, for the code fix.</summary>
    public const string LayoutProperty = "Layout";

    /// <summary>The property holding the baseline block the code fix writes (absent for a removal).</summary>
    public const string BlockProperty = "Block";

    /// <summary>The property saying what the fix does with the layout's blocks: <c>replace</c> the latest, or <c>add</c> one (a new layout, or a new version before the older ones).</summary>
    public const string ActionProperty = "Action";

    public static readonly DiagnosticDescriptor BreakingChange = new(
        BreakingChangeId,
        title: "Layout changed in a way files written by the baseline cannot be read through",
        messageFormat: "Layout '{0}' (version {1}) changed incompatibly with its schema baseline, so files written before cannot be opened without an upgrade: {2}; declare a new version ([MappedLayout(Version = {3})]) and record it in the baseline, or undo the change",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The layout's fields no longer match the committed schema baseline (Layouts.Baseline.txt) in a way old files cannot be read through: a field's type, offset, size or byte order changed, a field was removed, a field was added inside the old record, the record shrank, or a nested layout changed. Declare a new version with [MappedLayout(Version = N)]; OVL205 then asks for the new version's baseline block, which records the upgrade path.",
        helpLinkUri: UsageDiagnostics.HelpLink(BreakingChangeId));

    public static readonly DiagnosticDescriptor CompatibleChange = new(
        CompatibleChangeId,
        title: "Layout changed compatibly; the schema baseline is out of date",
        messageFormat: "Layout '{0}' changed compatibly with its schema baseline (old files still open): {1}; update the baseline",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Appended fields, [FormerName] renames and growth into reserved bytes keep old files readable, but the baseline must record the new shape so that the next change is checked against it. The code fix rewrites the layout's block.",
        helpLinkUri: UsageDiagnostics.HelpLink(CompatibleChangeId));

    public static readonly DiagnosticDescriptor NewLayout = new(
        NewLayoutId,
        title: "Layout not in the schema baseline",
        messageFormat: "Layout '{0}' is not in the schema baseline; add it so that changes to it are checked",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Every [MappedLayout] of a project with a schema baseline should have a block in it. The code fix adds one.",
        helpLinkUri: UsageDiagnostics.HelpLink(NewLayoutId));

    public static readonly DiagnosticDescriptor RemovedLayout = new(
        RemovedLayoutId,
        title: "Schema baseline lists a layout the project no longer has",
        messageFormat: "The schema baseline lists layout '{0}', which this project no longer declares; files of that layout cannot be read by this code any more: remove its blocks if that is intended",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A removed (or renamed, or moved) layout cannot misread a file, so this is a warning, not an error; the baseline keeps the decision visible in review. Delete the layout's blocks from the baseline (no code fix: fixes are not offered in additional files).",
        helpLinkUri: UsageDiagnostics.HelpLink(RemovedLayoutId),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor UnrecordedVersion = new(
        UnrecordedVersionId,
        title: "New layout version not recorded in the schema baseline",
        messageFormat: "Layout '{0}' declares version {1}, which changes it incompatibly ({2}); record the version in the schema baseline (a block for version {1} with 'upgrade-from={3}', keeping version {3}'s block) so that the upgrade path is reviewed",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "An incompatible change is allowed only with a new version whose block the baseline holds, next to the previous version's block, with upgrade-from naming it: the reviewable record that old files need MappedContainer.Upgrade. The code fix adds the block.",
        helpLinkUri: UsageDiagnostics.HelpLink(UnrecordedVersionId));

    public static readonly DiagnosticDescriptor BadBaseline = new(
        BadBaselineId,
        title: "Schema baseline cannot be read",
        messageFormat: "The schema baseline cannot be read: {0}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A line of Layouts.Baseline.txt does not follow its format (docs/diagnostics/OVL201.md), a layout has two blocks of one version, or upgrade-from names a version the baseline lacks. Layouts whose blocks cannot be read are not checked.",
        helpLinkUri: UsageDiagnostics.HelpLink(BadBaselineId),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor VersionGoesBack = new(
        VersionGoesBackId,
        title: "Layout version lower than the schema baseline's",
        messageFormat: "Layout '{0}' declares version {1}, but the schema baseline already has version {2}; versions only go up",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Files of the baseline's latest version may exist; a lower version number would describe a different layout under a number already used.",
        helpLinkUri: UsageDiagnostics.HelpLink(VersionGoesBackId));

    public static readonly DiagnosticDescriptor NegativeVersion = new(
        NegativeVersionId,
        title: "Negative layout version",
        messageFormat: "Layout '{0}' declares version {1}; a version is 0 (unversioned) or positive",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Schemas store the version as a number from 0 to 2^31-1 (docs/formats.md §8.1).",
        helpLinkUri: UsageDiagnostics.HelpLink(NegativeVersionId));

    public static readonly DiagnosticDescriptor BadDefaultValue = new(
        BadDefaultValueId,
        title: "[DefaultValue] the field cannot hold",
        messageFormat: "The [DefaultValue] of field '{0}' {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A layout field's default is what new code reads for it from records an older layout wrote. It must be a constant of the type the field is stored as, exactly representable, and fit a fixed string's bytes.",
        helpLinkUri: UsageDiagnostics.HelpLink(BadDefaultValueId));
}
