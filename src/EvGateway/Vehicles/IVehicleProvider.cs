namespace EvGateway.Vehicles;

/// <summary>
/// One maker's cloud. Implementations map the cloud's shapes and errors into the brand-neutral model:
/// failures are thrown as <see cref="GatewayException"/> with a stable code, never as raw HTTP exceptions.
/// </summary>
public interface IVehicleProvider
{
    /// <summary>The adapter's name, e.g. "Renault" or "Psa".</summary>
    string Maker { get; }

    /// <summary>
    /// True when the owner's settings name an account for this maker. Every maker is registered; one that is not
    /// configured lists no cars and is left out of readiness.
    /// </summary>
    bool IsConfigured { get; }

    /// <summary>The cars on the configured account.</summary>
    Task<IReadOnlyList<Vehicle>> GetVehiclesAsync(CancellationToken cancellationToken);

    /// <summary>A fresh read from the cloud. Caching and coalescing happen above, in VehicleStatusCache.</summary>
    Task<VehicleStatus> GetStatusAsync(Vehicle vehicle, CancellationToken cancellationToken);

    /// <summary>Sends a remote command; a command the car lacks throws capability_not_supported before any call.</summary>
    Task<CommandOutcome> SendCommandAsync(Vehicle vehicle, VehicleCommand command, CancellationToken cancellationToken);

    /// <summary>How often charge control may read this maker's cars and when it should wake them.</summary>
    ChargeWatchRules ChargeWatch { get; }

    /// <summary>Readiness as /health/ready reports it: logged in once, or known to be in trouble (and why).</summary>
    ProviderHealth Health { get; }

    /// <summary>Raised when the cloud pushes a newer status on its own (PSA MQTT events), so caches can update at once.</summary>
    event Action<VehicleStatus>? StatusPushed;
}

/// <summary>Where an adapter stands with its cloud.</summary>
/// <param name="State">Starting until the first login settles; then LoggedIn or Failing.</param>
/// <param name="Detail">Why it is failing, in words safe to show (no secrets).</param>
public sealed record ProviderHealth(ProviderHealthState State, string? Detail = null)
{
    public static readonly ProviderHealth Starting = new(ProviderHealthState.Starting);
    public static readonly ProviderHealth LoggedIn = new(ProviderHealthState.LoggedIn);
}

public enum ProviderHealthState
{
    Starting,
    LoggedIn,
    Failing,
}
