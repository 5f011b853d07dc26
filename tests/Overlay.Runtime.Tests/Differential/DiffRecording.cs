using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Overlay.Tests.Differential;

/// <summary>
/// CPython's runs of a batch, recorded on Linux to be replayed where no Linux <c>python3</c> can
/// run (the Windows back end under Wine). The sequences are not stored: they are regenerated from
/// their seed on the replaying side (<see cref="SequenceGenerator"/> draws the same on every OS).
/// What is stored is what the driver printed for each (the concrete arguments, every outcome and
/// state, the final contents) and the length and SHA-256 of Python's file once its map closed.
/// </summary>
internal sealed class DiffRecording
{
    /// <summary>The environment variable naming a recording to replay (set by <c>tests/Overlay.Wine.Tests</c> for the Wine run).</summary>
    public const string Variable = "OVERLAY_DIFF_REFERENCE";

    /// <summary>Which interpreter made the recording.</summary>
    public required string Python { get; init; }

    /// <summary>Whether the batch has trackfd=False maps (the recording Python is 3.13 or newer).</summary>
    public required bool TrackFileFalse { get; init; }

    /// <summary>The file offset unit the batch was generated with (<see cref="SequenceGenerator.Generate"/>).</summary>
    public required long OffsetUnit { get; init; }

    /// <summary>The seeds, each with its origin ("fixed", "random", "OVERLAY_DIFF_SEED") and the driver's result per sequence, in order.</summary>
    public required List<(int Seed, string Origin, List<JsonObject> Results)> Seeds { get; init; }

    /// <summary>Runs the batches of <paramref name="seeds"/> through CPython's mmap, in <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidOperationException">No usable Python, or the driver failed or left a sequence without a result.</exception>
    public static DiffRecording Record(IEnumerable<(int Seed, string Origin)> seeds, int perSeed, long offsetUnit, string directory)
    {
        PythonRunner python = PythonRunner.Find(out string? problem);
        if (problem is not null)
        {
            throw new InvalidOperationException(problem + " — recording the differential reference needs CPython (3.13 preferred).");
        }

        bool trackFileFalse = python.Version >= new Version(3, 13);
        var recorded = new List<(int, string, List<JsonObject>)>();
        foreach ((int seed, string origin) in seeds)
        {
            var batch = new JsonArray();
            var paths = new string?[perSeed];
            for (int i = 0; i < perSeed; i++)
            {
                DiffSequence sequence = SequenceGenerator.Generate(seed, i, trackFileFalse, offsetUnit);
                if (sequence.Map.IsFile)
                {
                    sequence.PythonPath = paths[i] = Path.Combine(directory, $"{seed}-{i}.py.bin");
                    File.WriteAllBytes(sequence.PythonPath, sequence.Map.Content!);
                }

                batch.Add(sequence.ToJson());
            }

            string batchPath = Path.Combine(directory, $"batch-{seed}.json");
            File.WriteAllText(batchPath, new JsonObject { ["sequences"] = batch }.ToJsonString());
            Dictionary<int, JsonObject> results = python.RunBatch(batchPath, out string failure);
            if (failure.Length != 0 || results.Count != perSeed)
            {
                throw new InvalidOperationException($"seed {seed} ({origin}): {results.Count} of {perSeed} sequences have a result; {failure}");
            }

            var ordered = new List<JsonObject>(perSeed);
            for (int i = 0; i < perSeed; i++)
            {
                JsonObject result = results[i];
                if (paths[i] is string path)
                {
                    result["file"] = Digest(File.ReadAllBytes(path));
                }

                ordered.Add(result);
            }

            recorded.Add((seed, origin, ordered));
        }

        return new DiffRecording { Python = python.Description, TrackFileFalse = trackFileFalse, OffsetUnit = offsetUnit, Seeds = recorded };
    }

    /// <summary>A file's bytes as the recording keeps them: the length and the SHA-256.</summary>
    public static string Digest(byte[] bytes) => $"{bytes.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))}";

    public static DiffRecording Load(string path)
    {
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
        var seeds = new List<(int, string, List<JsonObject>)>();
        foreach (JsonNode? node in (JsonArray)json["seeds"]!)
        {
            var results = new List<JsonObject>();
            foreach (JsonNode? result in (JsonArray)node!["results"]!)
            {
                results.Add((JsonObject)result!.DeepClone());
            }

            seeds.Add(((int)node["seed"]!, (string)node["origin"]!, results));
        }

        return new DiffRecording
        {
            Python = (string)json["python"]!,
            TrackFileFalse = (bool)json["trackFileFalse"]!,
            OffsetUnit = (long)json["offsetUnit"]!,
            Seeds = seeds,
        };
    }

    public void Save(string path)
    {
        var seeds = new JsonArray();
        foreach ((int seed, string origin, List<JsonObject> results) in Seeds)
        {
            var array = new JsonArray();
            results.ForEach(r => array.Add(r.DeepClone()));
            seeds.Add(new JsonObject { ["seed"] = seed, ["origin"] = origin, ["results"] = array });
        }

        File.WriteAllText(path, new JsonObject
        {
            ["python"] = Python,
            ["trackFileFalse"] = TrackFileFalse,
            ["offsetUnit"] = OffsetUnit,
            ["seeds"] = seeds,
        }.ToJsonString());
    }
}
