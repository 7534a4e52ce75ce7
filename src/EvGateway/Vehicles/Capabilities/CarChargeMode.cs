namespace EvGateway.Vehicles.Capabilities;

public enum CarChargeMode
{
    /// <summary>Charge whenever plugged in.</summary>
    Always,

    /// <summary>Charge only inside the active schedule's periods.</summary>
    Scheduled,
}
