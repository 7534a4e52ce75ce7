using System.Collections.Concurrent;

namespace EvGateway.Simulator.Renault;

/// <summary>Failures a test can make the Renault cloud answer with.</summary>
public enum RenaultFault
{
    /// <summary>500 with the err.tech.500 Kamereon body.</summary>
    ServerError500,

    /// <summary>502 with the HTML page of the cloud's front proxy.</summary>
    BadGateway502Html,

    /// <summary>No answer until the client gives up (the request abort is honoured).</summary>
    Timeout,

    /// <summary>429 err.func.wired.overloaded, as when the hourly quota is used up.</summary>
    QuotaExceeded429,
}

/// <summary>
/// The queue of injected faults and the per-call counters. A fault without a target hits the next Kamereon calls
/// (login keeps working, which is what most resilience tests want); with a target it hits only calls of that name.
/// </summary>
internal sealed class RenaultFaults
{
    private readonly object gate = new();
    private readonly List<PendingFault> pending = [];
    private readonly ConcurrentDictionary<string, int> calls = new(StringComparer.Ordinal);

    public void FailNext(int count, RenaultFault fault, string? callName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }

        lock (gate)
        {
            pending.Add(new PendingFault(fault, callName, count));
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            pending.Clear();
        }
    }

    /// <summary>Counts the call and hands out the first pending fault that applies to it, if any.</summary>
    public RenaultFault? Arrive(string callName, bool isKamereon)
    {
        calls.AddOrUpdate(callName, 1, (_, n) => n + 1);
        lock (gate)
        {
            var index = pending.FindIndex(p => p.CallName is null ? isKamereon : p.CallName == callName);
            if (index < 0)
            {
                return null;
            }

            var match = pending[index];
            if (match.Remaining == 1)
            {
                pending.RemoveAt(index);
            }
            else
            {
                pending[index] = match with { Remaining = match.Remaining - 1 };
            }

            return match.Fault;
        }
    }

    public int CallCount(string callName) => calls.GetValueOrDefault(callName);

    public IReadOnlyDictionary<string, int> CallCounts() => new SortedDictionary<string, int>(calls, StringComparer.Ordinal);

    public void ResetCounters() => calls.Clear();

    private sealed record PendingFault(RenaultFault Fault, string? CallName, int Remaining);
}

/// <summary>The hourly Kamereon quota per account: a rolling window of admitted calls on the simulator clock.</summary>
internal sealed class KamereonQuota(TimeProvider time, int callsPerHour)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> admitted = new(StringComparer.Ordinal);
    private int refused;

    public int Refused => Volatile.Read(ref refused);

    public bool TryAdmit(string accountKey)
    {
        var now = time.GetUtcNow();
        var calls = admitted.GetOrAdd(accountKey, _ => new Queue<DateTimeOffset>());
        lock (calls)
        {
            while (calls.Count > 0 && calls.Peek() <= now - Window)
            {
                calls.Dequeue();
            }

            if (calls.Count >= callsPerHour)
            {
                Interlocked.Increment(ref refused);
                return false;
            }

            calls.Enqueue(now);
            return true;
        }
    }
}
