using System;

namespace Overlay;

/// <summary>
/// An extended slice <c>[start:stop:step]</c> resolved against a length with Python's rules
/// (<c>PySlice_Unpack</c> + <c>PySlice_AdjustIndices</c>): the first index, the stride and how
/// many indices it selects. Every selected index is inside <c>[0, length)</c>.
/// </summary>
internal readonly record struct SliceBounds(long Start, long Step, long Count)
{
    public static SliceBounds Resolve(long? start, long? stop, long? step, long length)
    {
        long stride = step ?? 1;
        if (stride == 0)
        {
            throw new ArgumentException("The slice step cannot be zero.", nameof(step));
        }

        // Python clamps the step so that -step cannot overflow.
        if (stride == long.MinValue)
        {
            stride = -long.MaxValue;
        }

        long first = Adjust(start, length, stride, stride < 0 ? length - 1 : 0);
        long last = Adjust(stop, length, stride, stride < 0 ? -1 : length);

        long count;
        if (stride > 0)
        {
            count = first < last ? ((last - first - 1) / stride) + 1 : 0;
        }
        else
        {
            count = last < first ? ((first - last - 1) / -stride) + 1 : 0;
        }

        return new SliceBounds(first, stride, count);
    }

    private static long Adjust(long? bound, long length, long stride, long whenNull)
    {
        if (bound is not long value)
        {
            return whenNull;
        }

        if (value < 0)
        {
            value += length;
            if (value < 0)
            {
                value = stride < 0 ? -1 : 0;
            }
        }
        else if (value >= length)
        {
            value = stride < 0 ? length - 1 : length;
        }

        return value;
    }
}
