namespace EvGateway.Vehicles;

/// <summary>
/// Every car of every configured maker, and which adapter serves it. The list is read once, kept, and re-read at
/// most every <see cref="UnknownVinRecheck"/> when a VIN is asked for that it does not know (a car added to the
/// account) — so a script polling a mistyped VIN cannot turn into cloud traffic.
/// </summary>
public sealed class VehicleDirectory(IEnumerable<IVehicleProvider> registered, IEnumerable<IVehicleProviderSource> sources, TimeProvider time,
    ILogger<VehicleDirectory> logger)
{
    private static readonly TimeSpan UnknownVinRecheck = TimeSpan.FromMinutes(5);
    private readonly IVehicleProvider[] registered = registered.ToArray();
    private readonly IVehicleProviderSource[] sources = sources.ToArray();
    private readonly SemaphoreSlim loading = new(1, 1);
    private volatile Snapshot? snapshot;
    private int generation;

    /// <summary>
    /// Raised with the whole car list each time it is read in full from every configured maker (none failed), so a
    /// feature that published something per car can withdraw what belongs to a car that is gone.
    /// </summary>
    public event Action<IReadOnlyList<Vehicle>>? Listed;

    /// <summary>The car list as last read in full from every maker, without any cloud call; null until then.</summary>
    public IReadOnlyList<Vehicle>? LastFullList => snapshot is { Failure: null } current ? current.Vehicles : null;

    /// <summary>Every adapter: the registered ones and those the sources hold now.</summary>
    public IReadOnlyList<IVehicleProvider> Providers => [.. registered, .. sources.SelectMany(source => source.Providers)];

    /// <summary>
    /// Forgets the car list, so the next request reads it again: an account was connected or left, or demo mode ended.
    /// </summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref generation);
        snapshot = null;
    }

    public async Task<IReadOnlyList<Vehicle>> GetVehiclesAsync(CancellationToken cancellationToken)
    {
        var current = snapshot ?? await LoadAsync(null, cancellationToken);
        return current.Vehicles;
    }

    /// <summary>The car and its adapter, or vehicle_not_found; a car already listed is found without waiting.</summary>
    public ValueTask<VehicleEntry> FindAsync(string vin, CancellationToken cancellationToken) =>
        snapshot is { } listed && listed.ByVin.TryGetValue(vin, out var entry) ? ValueTask.FromResult(entry) : new(FindListingAsync(vin, cancellationToken));

    private async Task<VehicleEntry> FindListingAsync(string vin, CancellationToken cancellationToken)
    {
        var current = snapshot ?? await LoadAsync(null, cancellationToken);
        if (current.ByVin.TryGetValue(vin, out var entry))
        {
            return entry;
        }

        if (time.GetUtcNow() - current.LoadedAt >= UnknownVinRecheck)
        {
            current = await LoadAsync(current, cancellationToken);
            if (current.ByVin.TryGetValue(vin, out entry))
            {
                return entry;
            }
        }

        // The car may belong to a maker whose cloud could not list its cars: its failure says more than "not found".
        throw current.Failure ?? GatewayException.VehicleNotFound(vin);
    }

    /// <summary>The cars as last listed, without any cloud call; null until the first list was read.</summary>
    public IReadOnlyList<Vehicle>? Known => snapshot?.Vehicles;

    /// <summary>The VIN → entry map as last loaded, without any cloud call (null before the first load).</summary>
    public VehicleEntry? TryFindCached(string vin) =>
        snapshot is { } current && current.ByVin.TryGetValue(vin, out var entry) ? entry : null;

    // Single-flight: concurrent first requests share one load; a caller that saw an older snapshot reuses a newer one.
    private async Task<Snapshot> LoadAsync(Snapshot? seen, CancellationToken cancellationToken)
    {
        await loading.WaitAsync(cancellationToken);
        try
        {
            if (snapshot is { } loaded && !ReferenceEquals(loaded, seen))
            {
                return loaded;
            }

            // A list read while the accounts change (demo mode ending, an account connected) is answered but not kept.
            var readFor = Volatile.Read(ref generation);
            var vehicles = new List<Vehicle>();
            var byVin = new Dictionary<string, VehicleEntry>(StringComparer.OrdinalIgnoreCase);
            GatewayException? firstFailure = null;
            foreach (var provider in Providers.Where(p => p.IsConfigured))
            {
                try
                {
                    foreach (var vehicle in await provider.GetVehiclesAsync(cancellationToken))
                    {
                        if (byVin.TryAdd(vehicle.Vin, new VehicleEntry(vehicle, provider)))
                        {
                            vehicles.Add(vehicle);
                        }
                    }
                }
                catch (GatewayException failure)
                {
                    logger.LogWarning("Could not list the {Maker} cars: {Reason}", provider.Maker, failure.Message);
                    firstFailure ??= failure;
                    foreach (var kept in seen?.Vehicles.Where(v => v.Maker == provider.Maker) ?? [])
                    {
                        byVin.TryAdd(kept.Vin, seen!.ByVin[kept.Vin]);
                        vehicles.Add(kept);
                    }
                }
            }

            if (vehicles.Count == 0 && firstFailure is not null)
            {
                throw firstFailure;
            }

            var fresh = new Snapshot(vehicles, byVin, time.GetUtcNow(), firstFailure);
            if (readFor == Volatile.Read(ref generation))
            {
                snapshot = fresh;
                if (firstFailure is null)
                {
                    Listed?.Invoke(vehicles);
                }
            }

            return fresh;
        }
        finally
        {
            loading.Release();
        }
    }

    private sealed record Snapshot(IReadOnlyList<Vehicle> Vehicles, IReadOnlyDictionary<string, VehicleEntry> ByVin, DateTimeOffset LoadedAt,
        GatewayException? Failure);
}

/// <summary>A car with the adapter that talks to its cloud.</summary>
public sealed record VehicleEntry(Vehicle Vehicle, IVehicleProvider Provider);
