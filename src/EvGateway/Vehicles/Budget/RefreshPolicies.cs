using Microsoft.Extensions.Options;

namespace EvGateway.Vehicles.Budget;

/// <summary>
/// Each car's refresh policy (<c>Gateway:RefreshPolicy</c>, overridden by <c>Gateway:Cars:&lt;VIN&gt;:RefreshPolicy</c>) and
/// what it means for a car in a given state: how often it is refreshed in the background, and when next.
/// </summary>
public sealed class RefreshPolicies(IOptionsMonitor<GatewayOptions> options, TimeProvider time)
{
    private readonly DateTimeOffset startedAt = time.GetUtcNow();

    public RefreshPolicy PolicyOf(string vin)
    {
        var settings = options.CurrentValue;
        return settings.Cars.TryGetValue(vin, out var car) && car.RefreshPolicy is { } own ? own : settings.RefreshPolicy;
    }

    /// <summary>
    /// How often the car should be read given its last known <paramref name="status"/>; null for <c>never</c>. A car
    /// nothing is known of yet counts as plugged: finding out is what the first refresh is for.
    /// </summary>
    public TimeSpan? IntervalFor(string vin, VehicleStatus? status)
    {
        var settings = options.CurrentValue;
        var plugged = status is null || status.PlugState == PlugState.Plugged || IsCharging(status);
        var charging = status is null || IsCharging(status);
        return PolicyOf(vin) switch
        {
            RefreshPolicy.Never => null,
            RefreshPolicy.Always => settings.RefreshInterval,
            RefreshPolicy.Connected => plugged ? settings.RefreshInterval : settings.IdleRefreshInterval,
            _ => charging ? settings.RefreshInterval : settings.IdleRefreshInterval,
        };
    }

    /// <summary>When the car is next read in the background; null for <c>never</c>.</summary>
    public DateTimeOffset? NextRefreshAt(string vin, VehicleStatus? status)
    {
        if (IntervalFor(vin, status) is not { } interval)
        {
            return null;
        }

        // A status a command expired (FetchedAt MinValue) or none yet: counted from the start, so a gateway that just
        // started does not spend its first minute's budget on every car at once.
        var last = status is { } known && known.FetchedAt > startedAt ? known.FetchedAt : startedAt;
        return last + interval;
    }

    private static bool IsCharging(VehicleStatus status) => status.ChargeState == ChargeState.Charging;
}
