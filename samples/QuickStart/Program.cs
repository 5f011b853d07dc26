// QuickStart: the demo README.md's first command runs. First a typed record file (a [MappedLayout]
// record appended, flushed, reopened read-only and read in place: RecordsExample.cs, README's
// example), then MemoryMap, Python's mmap in C#: maps a file, edits it through slices and the cursor,
// searches, resizes, flushes, and prints what it did. Run it with: dotnet run --project samples/QuickStart
using System;
using System.IO;
using System.Text;
using Overlay;

string records = Path.Combine(Path.GetTempPath(), $"overlay-quickstart-{Environment.ProcessId}.records");
try
{
    RecordsExample.Run(records);
    Console.WriteLine($"record file: {new FileInfo(records).Length} bytes on disk");
}
finally
{
    File.Delete(records);
}

string path = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), $"overlay-quickstart-{Environment.ProcessId}.txt");
File.WriteAllText(path, "hello world\nsecond line\nthird line\n");
Console.WriteLine($"wrote {new FileInfo(path).Length} bytes to {path}");

try
{
    using (MemoryMap map = MemoryMap.Open(path))
    {
        Console.WriteLine($"mapped: {map}");
        Console.WriteLine($"m[0] = '{(char)map[0]}', m[-2] = '{(char)map[-2]}'");

        map[0..5] = "HELLO"u8.ToArray();                  // slice assignment, same length
        Console.WriteLine($"after m[0..5] = HELLO: {Show(map[..11])}");

        Console.WriteLine($"every other byte of the first line: {Show(map.GetSlice(0, 11, 2))}");

        Console.WriteLine($"readline: {Show(map.ReadLine())}  (cursor now {map.Tell()})");
        map.Write("SECOND"u8);                             // cursor write over "second"
        map.Seek(0);

        long found = map.Find("third"u8);
        Console.WriteLine($"find(\"third\") = {found}; rfind(\"line\") = {map.RFind("line"u8)}; contains 'zzz': {map.Contains("zzz"u8)}");

        long oldLength = map.Length;
        map.Resize(oldLength + 16);                        // the file grows with the map
        map.Seek(oldLength);
        map.Write("appended by map\n"u8);
        map.Flush();
        Console.WriteLine($"resized {oldLength} -> {map.Length} bytes; file size now {map.Size()}");

        map.Seek(0);
        int lines = 0;
        foreach (ReadOnlySpan<byte> line in map.EnumerateLines())
        {
            lines++;
        }

        Console.WriteLine($"{lines} lines, walked without allocating");
    }

    Console.WriteLine("file on disk now:");
    Console.Write(File.ReadAllText(path));
}
finally
{
    if (args.Length == 0)
    {
        File.Delete(path);
    }
}

static string Show(byte[] bytes) => "\"" + Encoding.UTF8.GetString(bytes).Replace("\n", "\\n") + "\"";
