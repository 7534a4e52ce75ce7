using EvGateway.Vehicles;

namespace EvGateway.Charging.Control;

/// <summary>The outcome of <see cref="ChargeDecisions.CheckThreshold"/>: reached, or how long until it surely is (null = below it).</summary>
public sealed record ThresholdCheck(bool Reached, TimeSpan? Wait)
{
    public static readonly ThresholdCheck Below = new(false, null);
    public static readonly ThresholdCheck Met = new(true, null);
}
