// AssetPack: a game's asset pack on Overlay.Formats. The build step packs a folder of files (here
// generated from a seed: 100 B to 8 MiB) into one sealed container (ContainerBuilder): the files'
// bytes in a raw section and a table of contents (a [MappedLayout] record per asset: name hash,
// name, kind, CRC-32C, position, size) sorted for binary search. The game side opens the pack with
// one mmap and the header checks, looks assets up by name and reads them in place (no copy);
// --verify checks every checksum. Prints what it did and how fast.
//
//   dotnet run -c Release --project samples/AssetPack                       # 64 assets, seed 42
//   dotnet run -c Release --project samples/AssetPack -- --verify --assets 200 --seed 7
//   dotnet run -c Release --project samples/AssetPack -- --verify --source path/to/folder --dir out/
using System;
using System.IO;
using Overlay.Samples.AssetPack;

try
{
    return AssetPackDemo.Run(DemoOptions.Parse(args), Console.Out);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"{e.GetType().Name}: {e.Message}");
    return 1;
}
