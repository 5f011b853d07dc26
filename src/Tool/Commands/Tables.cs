using System.Collections.Generic;
using System.Linq;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Overlay.Tool.Commands;

/// <summary>Spectre tables from plain strings: cells are <see cref="Text"/>, never markup, so a file's names cannot inject markup.</summary>
internal static class Tables
{
    public static Table Create(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (string column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column)));
        }

        return table;
    }

    public static void Row(this Table table, IEnumerable<string> cells) =>
        table.AddRow(cells.Select(c => (IRenderable)new Text(c)).ToArray());
}
