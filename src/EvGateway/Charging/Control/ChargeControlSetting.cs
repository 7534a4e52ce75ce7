
namespace EvGateway.Charging.Control;

/// <summary>One car's charge-control wish: stop at a battery level and/or at a time of day.</summary>
/// <param name="PercentageThreshold">Stop when the level reaches it; 100 = no threshold.</param>
/// <param name="StopAt">Local time of day to stop charging every day, or null.</param>
/// <param name="LastError">Why the last stop failed, until a stop succeeds again.</param>
public sealed record ChargeControlSetting(int PercentageThreshold, TimeOnly? StopAt, string? LastError = null)
{
    public static readonly ChargeControlSetting Off = new(100, null);

    /// <summary>True when charge control has something to do for the car.</summary>
    public bool IsActive => PercentageThreshold < 100 || StopAt is not null;
}
