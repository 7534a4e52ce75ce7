using System.Globalization;
using EvGateway.Vehicles.Capabilities;
using FluentValidation;

namespace EvGateway.Charging.Schedules;

/// <summary>How the REST surface spells a <see cref="CarChargeMode"/>.</summary>
public static class ChargeModeNames
{
    public const string Always = "always";
    public const string Scheduled = "scheduled";

    public static string Of(CarChargeMode mode) => mode == CarChargeMode.Scheduled ? Scheduled : Always;
}
