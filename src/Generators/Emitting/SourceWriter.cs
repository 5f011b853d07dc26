using System;
using System.Text;

namespace Overlay.Generators.Emitting;

/// <summary>
/// Writes indented C# text: four spaces per level, <c>\n</c> line ends. <see cref="ToString"/>
/// asserts the indentation is back to zero, so an unbalanced block is caught at once.
/// </summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indentation;

    public void WriteLine(string line)
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indentation * 4);
            _text.Append(line);
        }

        _text.Append('\n');
    }

    public void WriteLine() => _text.Append('\n');

    /// <summary>Writes <paramref name="line"/> (if any) then <c>{</c>, and indents.</summary>
    public void OpenBlock(string? line = null)
    {
        if (line is not null)
        {
            WriteLine(line);
        }

        WriteLine("{");
        _indentation++;
    }

    /// <summary>Unindents and writes <c>}</c> followed by <paramref name="suffix"/>.</summary>
    public void CloseBlock(string suffix = "")
    {
        if (_indentation == 0)
        {
            throw new InvalidOperationException("CloseBlock without a matching OpenBlock.");
        }

        _indentation--;
        WriteLine("}" + suffix);
    }

    public void Indent() => _indentation++;

    public void Unindent()
    {
        if (_indentation == 0)
        {
            throw new InvalidOperationException("Unindent below zero.");
        }

        _indentation--;
    }

    public override string ToString()
    {
        if (_indentation != 0)
        {
            throw new InvalidOperationException($"The source ends at indentation level {_indentation}, not 0.");
        }

        return _text.ToString();
    }
}
