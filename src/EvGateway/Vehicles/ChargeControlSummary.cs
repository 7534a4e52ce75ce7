namespace EvGateway.Vehicles;

/// <summary>A car's charge-control setting and its last failure, shown with the car's status.</summary>
public sealed record ChargeControlSummary(int PercentageThreshold, string? StopAt, DateTimeOffset? NextStopAt, string? LastError);

/// <summary>Where the status route learns about charge control (implemented by Charging/, absent when it is not added).</summary>
public interface IChargeControlSummaries
{
    /// <summary>The car's charge control when it has a setting or a failure to report; otherwise null.</summary>
    ChargeControlSummary? For(string vin);
}
