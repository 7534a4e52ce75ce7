namespace EvGateway.Vehicles.Budget;

/// <summary>
/// The priority of the work in progress, flowing with it through awaits down to the HTTP handler that spends the
/// budget (an <see cref="AsyncLocal{T}"/>, so no signature between an endpoint and the maker's client has to carry it).
/// <paramref name="ByPerson"/> tells a person's explicit request (a wake-up from the REST or legacy surface or the
/// dashboard) from the gateway's or home automation's own.
/// </summary>
public sealed record CallIntent(CallPriority Priority, bool ByPerson)
{
    private static readonly AsyncLocal<CallIntent?> Ambient = new();
    private static readonly AsyncLocal<CallTally?> Tally = new();

    /// <summary>What applies when no caller said: a request on the gateway's surfaces, made by a person.</summary>
    public static readonly CallIntent Unspecified = new(CallPriority.Person, ByPerson: true);

    public static CallIntent Current => Ambient.Value ?? Unspecified;

    /// <summary>True when a caller entered a scope (as opposed to <see cref="Unspecified"/>).</summary>
    public static bool IsSet => Ambient.Value is not null;

    /// <summary>Runs the rest of the caller's flow (until disposed) under <paramref name="intent"/>.</summary>
    public static IDisposable Enter(CallIntent intent)
    {
        var outer = Ambient.Value;
        Ambient.Value = intent;
        return new Restore(() => Ambient.Value = outer);
    }

    /// <summary>Counts the cloud calls made by the flow until disposed (the status cache learns what one read costs).</summary>
    public static CallTally StartTally()
    {
        var tally = new CallTally();
        Tally.Value = tally;
        return tally;
    }

    /// <summary>Adds one call to the tally of the flow, if it keeps one.</summary>
    internal static void Counted() => Tally.Value?.Add();

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}

/// <summary>The number of cloud calls one flow made.</summary>
public sealed class CallTally
{
    private int count;

    public int Count => Volatile.Read(ref count);

    internal void Add() => Interlocked.Increment(ref count);
}
