// GameSave: versioned layouts on a game's save files. Version 1 of a game writes a save (players,
// settings; each section carries its layout's schema). Version 2 renames a field ([FormerName]),
// widens two, and adds quests (a [VarList] of Quest records in each player, in the save's heap): it refuses the
// old save as it is, listing every difference by field name, upgrades it crash-safely with
// MappedContainer.Upgrade, and goes on. A third case shows a compatible, append-only change
// (settings gained a field) read both ways with no migration.
//
//   dotnet run --project samples/GameSave                  # writes into ./gamesave-out
//   dotnet run --project samples/GameSave -- --dir /tmp/saves
//   overlay inspect /tmp/saves/slot1.save                  # the tool reads them without this code (docs/tool.md)
using System;
using System.IO;
using Overlay.Samples.GameSave;

string directory = args.Length == 2 && args[0] == "--dir" ? args[1] : Path.Combine(Environment.CurrentDirectory, "gamesave-out");
if (args.Length != 0 && args.Length != 2)
{
    Console.Error.WriteLine("usage: GameSave [--dir FOLDER]");
    return 2;
}

try
{
    return GameSaveDemo.Run(directory, Console.Out);
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"{e.GetType().Name}: {e.Message}");
    return 1;
}
