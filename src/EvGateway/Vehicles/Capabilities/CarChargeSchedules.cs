namespace EvGateway.Vehicles.Capabilities;

/// <summary>Every schedule of a car and its charge mode.</summary>
public sealed record CarChargeSchedules(CarChargeMode Mode, IReadOnlyList<CarSchedule> Schedules);
