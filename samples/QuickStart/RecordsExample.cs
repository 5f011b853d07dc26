// What people come for: a [MappedLayout] record read and written in place. The lines between
// "README begin" and "README end" are README.md's first example, character for character (indent
// aside): QuickStartSampleTests checks that they match, so the README's code compiles and runs.
using System;
using Overlay;
using Overlay.Layouts;

internal static class RecordsExample
{
    public static void Run(string path)
    {
        // README begin
        const ulong Magic = 0x4F56_4C41_5952_4543;   // any constant that names your format
        using (var log = RecordFile<LogHeader.View, Reading.View>.Create(path, Magic))
        {
            for (int i = 0; i < 3; i++)
            {
                Reading.View r = log.Append();         // a view of the new record, in the file
                r.Sensor = (ushort)i;
                r.Celsius = 20.5 + i;
                r.Label = $"probe-{i}";                // checked UTF-8 into 16 bytes
            }
            log.Flush();                               // durable from here on
        }

        using (var log = RecordFile<LogHeader.ReadOnlyView, Reading.ReadOnlyView>.Open(path, Magic, MapAccess.Read))
        {
            foreach (Reading.ReadOnlyView r in log.Records)   // read in place: no copy, no parse
            {
                Console.WriteLine($"sensor {r.Sensor} ({r.Label}): {r.Celsius} °C");
            }
        }
        // README end
    }
}

[MappedLayout]
public partial struct Reading
{
    public ushort Sensor;
    public double Celsius;
    [FixedString(16)] public string Label;
}

[MappedLayout]
public partial struct LogHeader
{
    public int Version;
}
