namespace EvGateway.Vehicles.Capabilities;

/// <summary>A charge period as the car stores it: a UTC weekday and start time, and a length in minutes.</summary>
public sealed record CarPeriod(DayOfWeek Day, TimeOnly StartUtc, int DurationMinutes);
