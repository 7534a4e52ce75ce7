using System.Globalization;
using EvGateway.Charging;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Schedules;

/// <summary>
/// Reads and writes a car's charge schedules in local time through the maker's scheduler: weekly schedules
/// (<see cref="IChargeScheduling"/>, stored in UTC by the car) or one daily charge time (<see cref="IDailyChargeScheduling"/>,
/// kept in the car's wall-clock time).
/// </summary>
public sealed class ChargeScheduleService(VehicleDirectory directory, IEnumerable<IChargeScheduling> schedulers,
    IEnumerable<IDailyChargeScheduling> dailySchedulers, TimeProvider time, IOptions<ChargingOptions> options,
    IOptionsMonitor<GatewayOptions> gateway)
{
    private readonly TimeZoneInfo zone = options.Value.ResolveTimeZone();

    public async Task<ChargeScheduleView> GetAsync(string vin, CancellationToken cancellationToken)
    {
        var car = await FindAsync(vin, cancellationToken);
        if (car.Daily is { } daily)
        {
            return DailyView(car.Vehicle, daily.Form(car.Vehicle), await daily.GetAsync(car.Vehicle, cancellationToken));
        }

        var schedules = await car.Weekly!.GetAsync(car.Vehicle, cancellationToken);
        return ChargeScheduleConversion.ToLocal(car.Vehicle.Vin, schedules, time.GetUtcNow(), zone);
    }

    /// <summary>Converts to the car's form and checks the car's rules there, before anything is sent.</summary>
    public async Task<ScheduleChange> SetAsync(string vin, ChargeScheduleRequest request, CancellationToken cancellationToken)
    {
        ReadOnlyGuard.ThrowIfReadOnly(gateway.CurrentValue, "changing charge schedules");
        var car = await FindAsync(vin, cancellationToken);
        if (car.Daily is { } daily)
        {
            return await SetDailyAsync(car.Vehicle, daily, request, cancellationToken);
        }

        if (request.Daily is not null)
        {
            return new ScheduleChange(null, new("weekly_schedules", "This car keeps weekly schedules: send schedules, not daily.", "daily"));
        }

        var now = time.GetUtcNow();
        // Without schedules the request only switches the mode and keeps what the car has.
        var schedules = request.Schedules is null
            ? (await car.Weekly!.GetAsync(car.Vehicle, cancellationToken)) with { Mode = request.CarMode }
            : ChargeScheduleConversion.ToCar(request, now, zone);
        if (ChargeScheduleRules.Check(schedules) is { } violation)
        {
            return new ScheduleChange(null, violation);
        }

        await car.Weekly!.SetAsync(car.Vehicle, schedules, cancellationToken);
        return new ScheduleChange(ChargeScheduleConversion.ToLocal(car.Vehicle.Vin, schedules, now, zone), null);
    }

    private async Task<ScheduleChange> SetDailyAsync(Vehicle vehicle, IDailyChargeScheduling scheduler, ChargeScheduleRequest request,
        CancellationToken cancellationToken)
    {
        var form = scheduler.Form(vehicle);
        if (request.Schedules is { Count: > 0 })
        {
            var shape = form == DailyChargeForm.Window ? "window: send daily {start, end}" : "start time: send daily {start}";
            return new ScheduleChange(null, new("daily_charge", $"This car keeps one daily charge {shape} instead of weekly schedules."));
        }

        var charge = ToCar(request);
        if (ChargeScheduleRules.CheckDaily(form, charge) is { } violation)
        {
            return new ScheduleChange(null, violation);
        }

        var saved = await scheduler.SetAsync(vehicle, charge, cancellationToken);
        return new ScheduleChange(DailyView(vehicle, form, saved), null);
    }

    private static CarDailyCharge ToCar(ChargeScheduleRequest request)
    {
        if (request.Daily is not { } daily)
        {
            return new CarDailyCharge(request.CarMode, null, null);
        }

        var start = ScheduleDays.ParseTime(daily.Start)!.Value;
        return new CarDailyCharge(request.CarMode, start,
            ScheduleDays.ParseTime(daily.End) is { } end ? ScheduleDays.Minutes(start, end) : null);
    }

    private ChargeScheduleView DailyView(Vehicle vehicle, DailyChargeForm form, CarDailyCharge charge)
    {
        LocalDaily? daily = null;
        if (charge.Start is { } start)
        {
            var end = charge.DurationMinutes is { } minutes ? Format(start.AddMinutes(Math.Min(minutes, 1440))) : null;
            daily = new LocalDaily(Format(start), end);
        }

        return new ChargeScheduleView(vehicle.Vin, ChargeModeNames.Of(charge.Mode), zone.Id, [],
            ChargeScheduleForms.Of(form), daily);
    }

    private static string Format(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    private async Task<SchedulableCar> FindAsync(string vin, CancellationToken cancellationToken)
    {
        var vehicle = (await directory.FindAsync(vin, cancellationToken)).Vehicle;
        if (dailySchedulers.FirstOrDefault(s => s.Supports(vehicle)) is { } daily)
        {
            return new SchedulableCar(vehicle, null, daily);
        }

        var weekly = schedulers.FirstOrDefault(s => s.Supports(vehicle))
                     ?? throw GatewayException.CapabilityNotSupported(vehicle.Vin, "charge schedules through the gateway");
        return new SchedulableCar(vehicle, weekly, null);
    }

    private sealed record SchedulableCar(Vehicle Vehicle, IChargeScheduling? Weekly, IDailyChargeScheduling? Daily);
}
