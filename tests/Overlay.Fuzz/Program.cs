// The coverage-guided fuzzing harness: one target per file format the library writes.
//
//   scripts/fuzz.sh container 10                         build, instrument Overlay.Runtime.dll, run afl-fuzz for 10 minutes
//   dotnet Overlay.Fuzz.dll TARGET                       the afl-fuzz entry point (SharpFuzz's fork server; one run from stdin otherwise)
//   dotnet Overlay.Fuzz.dll TARGET --seeds DIR           writes the target's valid seed files (afl-fuzz's -i)
//   dotnet Overlay.Fuzz.dll TARGET --replay FILE...      walks each file and prints what happened (reproduce a finding)
//
// Targets: container, hash-index, sorted-index, schema, record-file (FuzzTargets.cs). A target
// catches exactly the exceptions each call documents; anything else escapes and afl-fuzz counts
// it as a crash, as it does a fault.
using System;
using System.IO;
using Overlay.Fuzz;
using SharpFuzz;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Overlay.Fuzz TARGET [--seeds DIR | --replay FILE...]; targets: container, hash-index, sorted-index, schema, record-file");
    return 2;
}

FuzzTarget target = FuzzTargets.Get(args[0]);
string scratch = FuzzTargets.ScratchDirectory();
try
{
    if (args.Length >= 3 && args[1] == "--seeds")
    {
        Directory.CreateDirectory(args[2]);
        foreach ((string name, byte[] bytes) in target.Seeds(scratch))
        {
            File.WriteAllBytes(Path.Combine(args[2], $"{target.Name}-{name}"), bytes);
        }

        return 0;
    }

    string input = Path.Combine(scratch, "input");
    if (args.Length >= 2 && args[1] == "--replay")
    {
        int failed = 0;
        foreach (string file in args[2..])
        {
            try
            {
                Console.WriteLine($"{file}: {target.Run(File.ReadAllBytes(file), input)}");
            }
            catch (Exception e)
            {
                failed++;
                Console.WriteLine($"{file}: {e}");
            }
        }

        return failed == 0 ? 0 : 1;
    }

    Fuzzer.Run(stream =>
    {
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        target.Run(memory.GetBuffer().AsSpan(0, (int)memory.Length), input);
    });
    return 0;
}
finally
{
    Directory.Delete(scratch, recursive: true);
}
