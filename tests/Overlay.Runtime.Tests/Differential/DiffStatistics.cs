using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Overlay.Tests.Differential;

/// <summary>What a run exercised: outcomes per operation, and how often each deliberate rule of the driver applied.</summary>
internal sealed class DiffStatistics
{
    private readonly SortedDictionary<string, SortedDictionary<string, int>> _outcomes = new(System.StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _deliberate = new(System.StringComparer.Ordinal);

    public void Count(string operation, string outcome, string? deliberateRule)
    {
        if (!_outcomes.TryGetValue(operation, out var outcomes))
        {
            _outcomes[operation] = outcomes = new(System.StringComparer.Ordinal);
        }

        outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        if (deliberateRule is not null)
        {
            _deliberate[deliberateRule] = _deliberate.GetValueOrDefault(deliberateRule) + 1;
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine("Outcomes per operation (CPython side):");
        foreach (var (operation, outcomes) in _outcomes)
        {
            text.AppendLine($"  {operation,-10} {outcomes.Values.Sum(),6}: " + string.Join(", ", outcomes.Select(o => $"{o.Key.Replace("Exception", "")} {o.Value}")));
        }

        text.AppendLine("Deliberate differences applied (docs/errors.md; rules in mmap_driver.py deliberate()):");
        foreach (var (rule, count) in _deliberate)
        {
            text.AppendLine($"  {count,6} x {rule}");
        }

        return text.ToString();
    }
}
