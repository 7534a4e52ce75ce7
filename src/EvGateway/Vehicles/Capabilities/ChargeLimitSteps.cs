namespace EvGateway.Vehicles.Capabilities;

/// <summary>The charge limits a car accepts: from <see cref="Min"/> to 100 % in steps of <see cref="Step"/>.</summary>
public sealed record ChargeLimitSteps(int Min, int Step)
{
    public bool Allows(int percent) => percent >= Min && percent <= 100 && percent % Step == 0;
}
