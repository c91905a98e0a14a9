using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Data;

/// <summary>
/// Holds one input column's values for the rows of a batch, so that a cursor that has read ahead can still
/// serve each row's own value. Only types whose values can be copied safely are cached: scalars of the
/// primitive types (text is immutable memory) and vectors of them (deep-copied, since sources reuse buffers).
/// </summary>
internal abstract class ColumnCache
{
    /// <summary>Copies the input cursor's current value into <paramref name="slot"/>.</summary>
    public abstract void Store(int slot);

    /// <summary>A getter that serves the value in the slot <paramref name="currentSlot"/> names.</summary>
    public abstract Delegate CreateGetter(Func<int> currentSlot);

    /// <summary>Whether values of <paramref name="type"/> can be cached.</summary>
    public static bool CanCache(DataViewType type) =>
        type is PrimitiveDataViewType || type is VectorDataViewType { ItemType: PrimitiveDataViewType };

    /// <summary>A cache of <paramref name="capacity"/> rows for <paramref name="column"/> of <paramref name="input"/>.</summary>
    public static ColumnCache Create(DataViewRowCursor input, DataViewSchema.Column column, int capacity)
    {
        (Type cacheType, Type valueType) = column.Type is VectorDataViewType vector
            ? (typeof(VectorCache<>), vector.ItemType.RawType)
            : (typeof(ScalarCache<>), column.Type.RawType);
        MethodInfo create = cacheType.MakeGenericType(valueType).GetMethod(nameof(ScalarCache<int>.Make), BindingFlags.Public | BindingFlags.Static)!;
        return (ColumnCache)create.Invoke(null, [input, column, capacity])!;
    }

    /// <summary>Caches a scalar column: values are copied as they are.</summary>
    private sealed class ScalarCache<T>(ValueGetter<T> source, int capacity) : ColumnCache
    {
        private readonly T[] _values = new T[capacity];

        public static ColumnCache Make(DataViewRowCursor input, DataViewSchema.Column column, int capacity) =>
            new ScalarCache<T>(input.GetGetter<T>(column), capacity);

        public override void Store(int slot) => source(ref _values[slot]);

        public override Delegate CreateGetter(Func<int> currentSlot) =>
            (ValueGetter<T>)((ref T value) => value = _values[currentSlot()]);
    }

    /// <summary>Caches a vector column: each row gets its own buffer.</summary>
    private sealed class VectorCache<T>(ValueGetter<VBuffer<T>> source, int capacity) : ColumnCache
    {
        private readonly VBuffer<T>[] _values = new VBuffer<T>[capacity];
        private VBuffer<T> _scratch;

        public static ColumnCache Make(DataViewRowCursor input, DataViewSchema.Column column, int capacity) =>
            new VectorCache<T>(input.GetGetter<VBuffer<T>>(column), capacity);

        public override void Store(int slot)
        {
            source(ref _scratch);
            _scratch.CopyTo(ref _values[slot]);
        }

        public override Delegate CreateGetter(Func<int> currentSlot) =>
            (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) => _values[currentSlot()].CopyTo(ref value));
    }
}
