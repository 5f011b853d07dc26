namespace Overlay.Layouts;

/// <summary>
/// Where a generated view is: its map and offset. Views do not have <c>Map</c> and <c>Offset</c>
/// properties of their own, because those are names file formats give fields (ELF's
/// <c>sh_offset</c>, a ZIP entry's offset) and a view's properties are its fields; the view
/// implements <see cref="IMappedView{TSelf}.Map"/> and <see cref="IMappedView{TSelf}.Offset"/>
/// explicitly, and these read them without boxing.
/// </summary>
public static class MappedView
{
    /// <summary>The map <paramref name="view"/> reads.</summary>
    /// <typeparam name="TView">The view type.</typeparam>
    /// <param name="view">A view.</param>
    /// <returns>The map (null for a <c>default</c> view).</returns>
    public static MemoryMap MapOf<TView>(TView view)
        where TView : struct, IMappedView<TView> => view.Map;

    /// <summary>Where the record of <paramref name="view"/> starts in its map.</summary>
    /// <typeparam name="TView">The view type.</typeparam>
    /// <param name="view">A view.</param>
    /// <returns>The offset.</returns>
    public static long OffsetOf<TView>(TView view)
        where TView : struct, IMappedView<TView> => view.Offset;
}
