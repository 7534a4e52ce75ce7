using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using EvGateway.Vehicles.Budget;

namespace EvGateway.Vehicles;

/// <summary>
/// The last status of every car, with request coalescing: however many callers want a fresh status of one car at
/// once, the cloud is asked once and they all get that answer. When the cloud cannot be asked (quota, outage,
/// timeout) the last known status is served marked <c>stale</c>; with nothing known the error goes to the caller.
/// A read that needs the cloud first asks the maker's <see cref="CallBudget"/> whether the calls one read of this car
/// costs fit its caller's priority (<see cref="CallIntent"/>); when they do not, it is served the same way.
/// </summary>
public sealed class VehicleStatusCache
{
    private readonly ConcurrentDictionary<string, CarSlot> slots = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider time;
    private readonly ILogger<VehicleStatusCache> logger;

    private readonly GatewayMetrics metrics;

    // Counted on every cached read: the labelled counter of each maker is looked up once.
    private readonly ConcurrentDictionary<string, Prometheus.Counter.Child> cacheReads = new(StringComparer.Ordinal);
    private readonly CallBudgets budgets;

    public VehicleStatusCache(VehicleDirectory directory, CallBudgets budgets, GatewayMetrics metrics, TimeProvider time,
        ILogger<VehicleStatusCache> logger)
    {
        this.budgets = budgets;
        this.metrics = metrics;
        this.time = time;
        this.logger = logger;
        foreach (var provider in directory.Providers)
        {
            provider.StatusPushed += Store;
        }
    }

    /// <summary>Raised after every new status (read or pushed); charge control listens to it.</summary>
    public event Action<VehicleStatus>? StatusChanged;

    /// <summary>A status no older than <paramref name="maxAge"/>, from the cloud only when the cached one is too old.</summary>
    public async Task<VehicleStatus> GetAsync(VehicleEntry entry, TimeSpan maxAge, CancellationToken cancellationToken)
    {
        // Fresh enough = fetched no earlier than maxAge before this request arrived. A burst of maxAge=0 reads thus
        // shares the fetch that completes while it arrives instead of starting one each.
        var oldest = time.GetUtcNow() - maxAge;
        if (TryGetFetchedSince(entry, oldest, out var fresh))
        {
            return fresh;
        }

        var slot = slots.GetOrAdd(entry.Vehicle.Vin, _ => new CarSlot());
        return await slot.JoinOrStart(oldest, () => FetchAsync(entry, slot)).WaitAsync(cancellationToken);
    }

    /// <summary>The cached status when it is no older than <paramref name="maxAge"/> (a cache read), without any cloud call.</summary>
    public bool TryGetFresh(VehicleEntry entry, TimeSpan maxAge, [NotNullWhen(true)] out VehicleStatus? status) =>
        TryGetFetchedSince(entry, time.GetUtcNow() - maxAge, out status);

    private bool TryGetFetchedSince(VehicleEntry entry, DateTimeOffset oldest, [NotNullWhen(true)] out VehicleStatus? status)
    {
        status = Peek(entry.Vehicle.Vin);
        if (status is null || status.FetchedAt < oldest)
        {
            status = null;
            return false;
        }

        cacheReads.GetOrAdd(entry.Provider.Maker, static (maker, reads) => reads.WithLabels(maker, "cache"), metrics.StatusReads).Inc();
        return true;
    }

    /// <summary>The last known status without any cloud call, or null.</summary>
    public VehicleStatus? Peek(string vin) => slots.TryGetValue(vin, out var slot) ? slot.Last : null;

    /// <summary>
    /// Forgets a cached status fetched before <paramref name="changedAt"/> (when a command changed the car), so the
    /// next read goes to the cloud; a status the car pushed since then is kept.
    /// </summary>
    public void Invalidate(string vin, DateTimeOffset changedAt)
    {
        if (slots.TryGetValue(vin, out var slot))
        {
            slot.ExpireIfOlderThan(changedAt);
        }
    }

    private async Task<VehicleStatus> FetchAsync(VehicleEntry entry, CarSlot slot)
    {
        var maker = entry.Provider.Maker;
        var priority = CallIntent.Current.Priority;
        if (!budgets.For(maker).Admits(priority, slot.CallsPerRead, out var retryAfter))
        {
            budgets.Deferred(maker, priority);
            if (slot.Last is not { } known)
            {
                throw GatewayException.BudgetExhausted(maker, retryAfter);
            }

            metrics.StatusReads.WithLabels(maker, "stale").Inc();
            return known with { Stale = true };
        }

        var tally = CallIntent.StartTally();
        try
        {
            // Not tied to one caller's token: others may be waiting on the same fetch.
            var status = await entry.Provider.GetStatusAsync(entry.Vehicle, CancellationToken.None);
            metrics.StatusReads.WithLabels(maker, "cloud").Inc();
            slot.CallsPerRead = Math.Max(1, tally.Count);
            Store(status);
            return status;
        }
        catch (GatewayException failure)
        {
            metrics.CloudFailures.WithLabels(entry.Provider.Maker, failure.Code).Inc();
            if (!IsTransient(failure) || slot.Last is not { } last)
            {
                throw;
            }

            logger.LogInformation("Serving the last known status of {Vin} as stale: {Reason}", entry.Vehicle.Vin, failure.Code);
            metrics.StatusReads.WithLabels(entry.Provider.Maker, "stale").Inc();
            return last with { Stale = true };
        }
    }

    private void Store(VehicleStatus status)
    {
        var slot = slots.GetOrAdd(status.Vin, _ => new CarSlot());
        slot.Last = status;
        StatusChanged?.Invoke(status);
    }

    private static bool IsTransient(GatewayException failure) => failure.Code is ErrorCodes.UpstreamRateLimited
        or ErrorCodes.UpstreamUnavailable or ErrorCodes.UpstreamTimeout or ErrorCodes.VehicleAsleep;

    private sealed class CarSlot
    {
        private readonly Lock gate = new();
        private Task<VehicleStatus>? inFlight;
        private volatile VehicleStatus? last;
        private int callsPerRead = 1;

        /// <summary>What the last successful cloud read of this car cost; a car not read yet is assumed to cost one.</summary>
        public int CallsPerRead
        {
            get => Volatile.Read(ref callsPerRead);
            set => Volatile.Write(ref callsPerRead, value);
        }

        public VehicleStatus? Last
        {
            get => last;
            set => last = value;
        }

        public void ExpireIfOlderThan(DateTimeOffset changedAt)
        {
            if (last is { } known && known.FetchedAt < changedAt)
            {
                last = known with { FetchedAt = DateTimeOffset.MinValue };
            }
        }

        // Checked again under the lock: a fetch may have completed between the caller's look at Last and here.
        public Task<VehicleStatus> JoinOrStart(DateTimeOffset oldestAcceptable, Func<Task<VehicleStatus>> fetch)
        {
            lock (gate)
            {
                if (inFlight is { IsCompleted: false } running)
                {
                    return running;
                }

                if (last is { } fresh && fresh.FetchedAt >= oldestAcceptable)
                {
                    return Task.FromResult(fresh);
                }

                var started = fetch();
                inFlight = started;
                return started;
            }
        }
    }
}
