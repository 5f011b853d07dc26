using System;
using System.Linq;
using Microsoft.CodeAnalysis.Text;

namespace Overlay.Analyzers.Baseline;

/// <summary>
/// Edits a schema baseline's text for the code fix, touching only the lines of one layout so that
/// the review diff is that layout's. Blocks are kept sorted by layout name, the latest version first.
/// </summary>
internal static class BaselineEditor
{
    /// <summary>Applies one fix.</summary>
    /// <param name="text">The baseline's text (possibly empty).</param>
    /// <param name="layout">The layout's full name.</param>
    /// <param name="action"><c>replace</c> the latest block, or <c>add</c> a block before the layout's others (or in name order).</param>
    /// <param name="block">The block to write.</param>
    /// <returns>The new text.</returns>
    public static SourceText Apply(SourceText text, string layout, string action, string? block)
    {
        if (text.Length == 0 || text.ToString().Trim().Length == 0)
        {
            text = SourceText.From(BaselineParser.Header, text.Encoding);
        }

        BaselineFile file = BaselineParser.Parse(text);
        BaselineBlock[] mine = file.Blocks.Where(b => b.Name == layout).OrderBy(b => b.Line).ToArray();
        switch (action)
        {
            case "replace" when mine.Length > 0 && block is not null:
            {
                BaselineBlock latest = mine.OrderByDescending(b => b.Version).First();
                return text.Replace(Span(text, latest.Line, latest.EndLine), block);
            }

            case "add" when mine.Length > 0 && block is not null:
                return text.Replace(new TextSpan(text.Lines[mine[0].Line].Start, 0), block + "\n");

            case "add" when block is not null:
            {
                BaselineBlock? after = file.Blocks.Where(b => string.CompareOrdinal(b.Name, layout) > 0).OrderBy(b => b.Line).FirstOrDefault();
                if (after is not null)
                {
                    return text.Replace(new TextSpan(text.Lines[after.Line].Start, 0), block + "\n");
                }

                string existing = text.ToString();
                string separator = existing.EndsWith("\n", StringComparison.Ordinal) ? "\n" : "\n\n";
                return text.Replace(new TextSpan(text.Length, 0), separator + block);
            }

            default:
                return text;
        }
    }

    /// <summary>The span of lines [<paramref name="first"/>, <paramref name="end"/>), line breaks included.</summary>
    private static TextSpan Span(SourceText text, int first, int end)
    {
        int start = text.Lines[first].Start;
        int stop = end < text.Lines.Count ? text.Lines[end].Start : text.Length;
        return TextSpan.FromBounds(start, stop);
    }
}
