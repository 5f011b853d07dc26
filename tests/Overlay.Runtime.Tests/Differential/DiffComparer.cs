using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;

namespace Overlay.Tests.Differential;

/// <summary>
/// Replays one sequence on Overlay and compares it with CPython's run, step by step: the value
/// or the error category, then the cursor and the length; at the end the contents and the file
/// bytes on disk. The comparison is exact: every deliberate difference is already applied by the
/// driver (its <c>deliberate()</c> function), so anything that differs here is a divergence.
/// </summary>
internal static class DiffComparer
{
    /// <summary>Null when both sides agree; otherwise a report naming the step and both outcomes.</summary>
    /// <param name="sequence">The sequence, its file (if any) prepared for Overlay.</param>
    /// <param name="python">What the driver printed for it (with <c>"file"</c>, the digest of Python's file, when replayed from a <see cref="DiffRecording"/>).</param>
    /// <param name="statistics">Counts the outcomes and the rules applied.</param>
    /// <param name="stepsRun">How many steps ran on Overlay.</param>
    /// <param name="backEnd">The back end's documented differences from Linux (<see cref="WindowsDifferences.Apply"/>), or null on Linux.</param>
    public static string? Compare(DiffSequence sequence, JsonObject python, DiffStatistics statistics, out int stepsRun, Func<string, JsonArray, string, (string Expected, string? Rule)>? backEnd = null)
    {
        var steps = (JsonArray)python["steps"]!;
        stepsRun = 0;
        string? divergence = null;
        string? overlayFinal;
        using (var overlay = new OverlayExecutor(sequence))
        {
            for (int i = 0; i < sequence.Ops.Count && divergence is null; i++)
            {
                OpSpec op = sequence.Ops[i];
                var step = (JsonObject)steps[i]!;
                var args = (JsonArray)step["a"]!;
                string expected = step["e"] is JsonNode error ? "e:" + (string)error! : "r:" + (string)step["r"]!;
                string? rule = null;
                if (backEnd is not null)
                {
                    (expected, rule) = backEnd(op.Name, args, expected);
                }

                string actual = overlay.Execute(op.Name, args, op.Variant);
                stepsRun++;
                statistics.Count(op.Name, step["e"] is JsonNode category ? (string)category! : "value", (string?)step["d"]);
                if (rule is not null)
                {
                    statistics.Count(op.Name + " (this back end)", expected[2..], rule);
                }

                string expectedState = step["s"]?.ToJsonString() ?? "null";
                string actualState = overlay.State;
                if (expected != actual)
                {
                    divergence = Describe(sequence, steps, i, "outcome", Detail(expected, step), actual);
                }
                else if (expectedState != actualState)
                {
                    divergence = Describe(sequence, steps, i, "[position, length] after the step", expectedState, actualState);
                }
            }

            overlayFinal = overlay.Final;
        }

        if (divergence is not null)
        {
            return divergence;
        }

        string? pythonFinal = (string?)python["final"];
        if (pythonFinal != overlayFinal)
        {
            return Describe(sequence, steps, sequence.Ops.Count, "contents at the end", Shorten(pythonFinal), Shorten(overlayFinal));
        }

        if (sequence.Map.IsFile && python["file"] is JsonNode recorded)
        {
            string overlayDigest = DiffRecording.Digest(File.ReadAllBytes(sequence.OverlayPath!));
            if ((string)recorded! != overlayDigest)
            {
                return Describe(sequence, steps, sequence.Ops.Count, "file bytes on disk after both maps closed", (string)recorded!, overlayDigest);
            }
        }
        else if (sequence.Map.IsFile)
        {
            byte[] pythonBytes = File.ReadAllBytes(sequence.PythonPath!);
            byte[] overlayBytes = File.ReadAllBytes(sequence.OverlayPath!);
            if (!pythonBytes.AsSpan().SequenceEqual(overlayBytes))
            {
                return Describe(sequence, steps, sequence.Ops.Count, "file bytes on disk after both maps closed",
                    $"{pythonBytes.Length} bytes {Shorten(Convert.ToHexStringLower(pythonBytes))}",
                    $"{overlayBytes.Length} bytes {Shorten(Convert.ToHexStringLower(overlayBytes))}");
            }
        }

        return null;
    }

    private static string Detail(string expected, JsonObject step) =>
        step["e"] is null ? expected : $"{expected} (Python {step["x"]}, errno {step["n"]?.ToJsonString() ?? "None"}: {step["m"]})";

    private static string Describe(DiffSequence sequence, JsonArray steps, int failing, string what, string? python, string? overlay)
    {
        var text = new StringBuilder();
        text.AppendLine($"sequence {sequence.Id}: {sequence.Map}");
        for (int i = 0; i < Math.Min(failing + 1, sequence.Ops.Count); i++)
        {
            var step = (JsonObject)steps[i]!;
            string outcome = step["e"] is JsonNode e ? "raises " + (string)e! : "-> " + Shorten((string?)step["r"]);
            string args = string.Join(", ", ((JsonArray)step["a"]!).Select(a => a is JsonObject o ? "b'" + Shorten((string?)o["b"]) + "'" : a?.ToJsonString() ?? "None"));
            text.AppendLine($"  {(i == failing ? ">>" : "  ")} step {i}: {sequence.Ops[i].Name}({args}) [variant {sequence.Ops[i].Variant}] python {outcome}, state {step["s"]?.ToJsonString() ?? "closed"}");
        }

        text.AppendLine($"  divergence at step {failing} in the {what}:");
        text.AppendLine($"    Python : {python ?? "null"}");
        text.AppendLine($"    Overlay: {overlay ?? "null"}");
        return text.ToString();
    }

    private static string Shorten(string? text) => text is null ? "null" : text.Length <= 120 ? text : $"{text[..60]}...({text.Length} chars)...{text[^40..]}";
}
