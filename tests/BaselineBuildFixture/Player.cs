using Overlay.Layouts;

namespace Fixture;

/// <summary>The layout the baseline describes; the test edits the baseline, not this file.</summary>
[MappedLayout]
public partial struct Player
{
    public int Id;
    public float Health;
}
