namespace EvGateway.Vehicles.Capabilities;

/// <summary>One schedule: at most one period per (UTC) weekday.</summary>
public sealed record CarSchedule(int Id, bool Activated, IReadOnlyList<CarPeriod> Periods);
