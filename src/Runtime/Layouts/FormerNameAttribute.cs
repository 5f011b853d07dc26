using System;

namespace Overlay.Layouts;

/// <summary>
/// Says that a layout field was called <see cref="Name"/> in an earlier version of the layout, so
/// that upgrading a file (<c>MappedContainer.Upgrade</c>) carries the old field's values into it
/// (as Unity's <c>[FormerlySerializedAs]</c>). Repeat it for several former names.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = true, Inherited = false)]
public sealed class FormerNameAttribute : Attribute
{
    /// <summary>Records a former name.</summary>
    /// <param name="name">The field's name in an earlier version.</param>
    public FormerNameAttribute(string name) => Name = name;

    /// <summary>The field's name in an earlier version.</summary>
    public string Name { get; }
}
