namespace EvGateway.Vehicles.Budget;

/// <summary>When a car is refreshed without anyone asking (the evcc names).</summary>
public enum RefreshPolicy
{
    /// <summary>Often while charging, rarely otherwise.</summary>
    Charging,

    /// <summary>Often while plugged in (charging or not), rarely otherwise. The default.</summary>
    Connected,

    /// <summary>Often, whatever the car does.</summary>
    Always,

    /// <summary>
    /// Never in the background; reads reach the cloud when a caller's maxAge asks for it, limited by the call budget
    /// alone (the owner's scripts decide).
    /// </summary>
    Never,
}
