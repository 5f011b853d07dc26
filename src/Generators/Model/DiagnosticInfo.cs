using Microsoft.CodeAnalysis.Text;

namespace Overlay.Generators.Model;

/// <summary>
/// A diagnostic as plain data: the descriptor's id, where (file, span and line span) and the
/// message arguments. The analyzer turns it back into a <c>Diagnostic</c>.
/// </summary>
/// <param name="Id">The descriptor's id (<c>OVL1xx</c>).</param>
/// <param name="FilePath">The syntax tree's path.</param>
/// <param name="Span">The span in the tree.</param>
/// <param name="LineSpan">The span as lines and columns.</param>
/// <param name="Arguments">The message arguments.</param>
internal sealed record DiagnosticInfo(string Id, string FilePath, TextSpan Span, LinePositionSpan LineSpan, EquatableArray<string> Arguments);
