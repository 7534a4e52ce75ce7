namespace EvGateway.Vehicles.Capabilities;

public enum DailyChargeForm
{
    /// <summary>A start time only; charging runs until the battery is full or the charge is stopped.</summary>
    Start,

    /// <summary>A start time and a length in minutes.</summary>
    Window,
}
