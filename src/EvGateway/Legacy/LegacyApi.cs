using System.Globalization;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Budget;
using Microsoft.Extensions.Options;

namespace EvGateway.Legacy;

/// <summary>
/// psa_car_controller's home-script routes, unchanged URLs and answers, for every brand. Two quirks are fixed on
/// purpose (README): errors keep their <c>{"error": ...}</c> body but carry a real status code, and /horn no longer
/// crashes.
/// </summary>
public static class LegacyApi
{
    public static IEndpointRouteBuilder MapLegacy(this IEndpointRouteBuilder app)
    {
        var legacy = app.MapGroup("").WithTags("Legacy (psa_car_controller)").WithMetadata(new LegacyFailures());
        legacy.MapGet("/get_vehicles", GetVehicles).WithName(nameof(GetVehicles)).WithSummary("The cars, in the old bridge's shape")
            .Answers<LegacyVehicle[]>();
        legacy.MapGet("/get_vehicleinfo/{vin}", GetVehicleInfo).WithName(nameof(GetVehicleInfo))
            .WithSummary("The status in the old bridge's snake_case shape; from_cache=1 never calls the cloud").Answers<LegacyStatus>();
        legacy.MapGet("/position/{vin}", GetPosition).WithName(nameof(GetPosition)).WithSummary("Last known position with a map link")
            .Answers<LegacyPositionAnswer>();
        legacy.MapGet("/charge_now/{vin}/{charge}", ChargeNow).WithName(nameof(ChargeNow)).WithSummary("Start (1) or stop (0) charging")
            .Answers<bool>().ActsOnCar();
        legacy.MapGet("/charge_hour", ChargeHour).WithName(nameof(ChargeHour)).WithSummary("Set the car's delayed-charge start hour")
            .Answers<bool>().ActsOnCar();
        legacy.MapGet("/wakeup/{vin}", WakeUp).WithName(nameof(WakeUp)).WithSummary("Ask the car to push fresh data").Answers<bool>().ActsOnCar();
        legacy.MapGet("/preconditioning/{vin}/{on}", Preconditioning).WithName(nameof(Preconditioning)).WithSummary("Climate on (1) or off (0)")
            .Answers<bool>().ActsOnCar();
        legacy.MapGet("/horn/{vin}/{count}", Horn).WithName(nameof(Horn)).WithSummary("Sound the horn count times").Answers<bool>().ActsOnCar();
        legacy.MapGet("/lights/{vin}/{seconds}", Lights).WithName(nameof(Lights)).WithSummary("Flash the lights for some seconds").Answers<bool>().ActsOnCar();
        legacy.MapGet("/lock_door/{vin}/{locked}", LockDoor).WithName(nameof(LockDoor)).WithSummary("Lock (1) or unlock (0) the doors")
            .Answers<bool>().ActsOnCar();
        legacy.MapGet("/charge_control", LegacyChargeControl.ChargeControl).WithName(nameof(LegacyChargeControl.ChargeControl))
            .WithSummary("psa_car_controller's /charge_control: read, or set percentage and/or hour+minute")
            .Answers<Dictionary<string, object?>>().ActsOnCar(LegacyChargeControl.Sets);
        legacy.MapGet("/abrp", LegacyAbrp.Abrp).WithName(nameof(LegacyAbrp.Abrp))
            .WithSummary("psa_car_controller's /abrp: turn a car's ABRP live data on (enable=1) or off, set the owner's ABRP token (shown masked)")
            .Answers<Dictionary<string, object?>>();
        return app;
    }

    // Documents the success body and the {"error": ...} bodies every legacy route may answer.
    private static RouteHandlerBuilder Answers<T>(this RouteHandlerBuilder route) => route
        .Produces<T>()
        .Produces<LegacyError>(StatusCodes.Status400BadRequest)
        .Produces<LegacyError>(StatusCodes.Status404NotFound)
        .Produces<LegacyError>(StatusCodes.Status503ServiceUnavailable);

    public static async Task<IResult> GetVehicles(VehicleDirectory directory, CancellationToken cancellationToken)
    {
        var vehicles = await directory.GetVehiclesAsync(cancellationToken);
        return TypedResults.Json(vehicles.Select(LegacyVehicle.From).ToArray(), LegacyJson.Options);
    }

    public static async ValueTask<IResult> GetVehicleInfo(string vin, string? from_cache, HttpRequest request, VehicleDirectory directory,
        VehicleStatusCache cache, ScriptedReads reads, LegacyStatusRenderer renderer, IOptionsMonitor<GatewayOptions> options,
        CancellationToken cancellationToken)
    {
        var entry = await FindAsync(vin, directory, cancellationToken);
        VehicleStatus? status;
        if (IsTrue(from_cache))
        {
            status = cache.Peek(entry.Vehicle.Vin)
                     ?? throw new GatewayException("no_cached_status", 404, $"No status of {vin} is cached yet; ask once without from_cache.");
        }
        else
        {
            status = await reads.ReadAsync(entry, TimeSpan.FromSeconds(options.CurrentValue.StatusMaxAgeSeconds), request, cancellationToken);
        }

        return renderer.Render(status, entry.Vehicle);
    }

    public static async Task<IResult> GetPosition(string vin, HttpRequest request, VehicleDirectory directory, VehicleStatusCache cache,
        ScriptedReads reads, IOptionsMonitor<GatewayOptions> options, CancellationToken cancellationToken)
    {
        var entry = await FindAsync(vin, directory, cancellationToken);
        if (!entry.Vehicle.Has(VehicleCapability.Location))
        {
            throw GatewayException.CapabilityNotSupported(vin, "location");
        }

        var status = cache.Peek(entry.Vehicle.Vin) is { Location: not null } known
            ? known
            : await reads.ReadAsync(entry, TimeSpan.FromSeconds(options.CurrentValue.StatusMaxAgeSeconds), request, cancellationToken);
        var at = status.Location ?? throw new GatewayException("no_position", 404, $"The car {vin} has not reported a position.");
        var lat = at.Latitude.ToString(CultureInfo.InvariantCulture);
        var lon = at.Longitude.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Json(new LegacyPositionAnswer(at.Longitude, at.Latitude, at.Altitude, $"https://maps.google.com/maps?q={lat},{lon}"),
            LegacyJson.Options);
    }

    public static Task<IResult> ChargeNow(string vin, string charge, VehicleCommands commands, CancellationToken cancellationToken) =>
        Flag(charge) is not { } start
            ? Task.FromResult(BadInput("charge", "charge is 1 (start) or 0 (stop)."))
            : Command(vin, new VehicleCommand(start ? VehicleCommandKind.ChargeStart : VehicleCommandKind.ChargeStop), commands, cancellationToken);

    public static Task<IResult> ChargeHour(string? vin, string? hour, string? minute, VehicleCommands commands, CancellationToken cancellationToken)
    {
        if (!int.TryParse(hour, NumberStyles.None, CultureInfo.InvariantCulture, out var h) || h > 23)
        {
            return Task.FromResult(BadInput("hour", "hour is a whole number from 0 to 23."));
        }

        if (!int.TryParse(minute ?? "0", NumberStyles.None, CultureInfo.InvariantCulture, out var m) || m > 59)
        {
            return Task.FromResult(BadInput("minute", "minute is a whole number from 0 to 59."));
        }

        return Command(vin, new VehicleCommand(VehicleCommandKind.SetDelayedChargeStart) { At = new TimeOnly(h, m) }, commands, cancellationToken);
    }

    public static async Task<IResult> WakeUp(string vin, VehicleCommands commands, CancellationToken cancellationToken)
    {
        try
        {
            return await Command(vin, new VehicleCommand(VehicleCommandKind.WakeUp), commands, cancellationToken);
        }
        catch (GatewayException limit) when (limit.Code == ErrorCodes.WakeUpLimit)
        {
            // The old bridge's exact words, which some scripts match on.
            throw new GatewayException(limit.Code, limit.StatusCode, "Wakeup rate limit exceeded", limit.RetryAfter);
        }
    }

    public static Task<IResult> Preconditioning(string vin, string on, VehicleCommands commands, CancellationToken cancellationToken) =>
        Flag(on) is not { } start
            ? Task.FromResult(BadInput("on", "preconditioning is 1 (on) or 0 (off)."))
            : Command(vin, new VehicleCommand(start ? VehicleCommandKind.ClimateStart : VehicleCommandKind.ClimateStop), commands, cancellationToken);

    public static Task<IResult> Horn(string vin, string count, VehicleCommands commands, CancellationToken cancellationToken) =>
        Count(count) is not { } times
            ? Task.FromResult(BadInput("count", "count is a whole number from 1 to 60."))
            : Command(vin, new VehicleCommand(VehicleCommandKind.Horn) { Count = times }, commands, cancellationToken);

    public static Task<IResult> Lights(string vin, string seconds, VehicleCommands commands, CancellationToken cancellationToken) =>
        Count(seconds) is not { } duration
            ? Task.FromResult(BadInput("seconds", "seconds is a whole number from 1 to 60."))
            : Command(vin, new VehicleCommand(VehicleCommandKind.Lights) { Count = duration }, commands, cancellationToken);

    public static Task<IResult> LockDoor(string vin, string locked, VehicleCommands commands, CancellationToken cancellationToken) =>
        Flag(locked) is not { } doLock
            ? Task.FromResult(BadInput("locked", "lock_door takes 1 (lock) or 0 (unlock)."))
            : Command(vin, new VehicleCommand(doLock ? VehicleCommandKind.Lock : VehicleCommandKind.Unlock), commands, cancellationToken);

    private static async Task<IResult> Command(string? vin, VehicleCommand command, VehicleCommands commands, CancellationToken cancellationToken)
    {
        if (!Vin.IsValid(vin))
        {
            return BadInput("vin", Vin.Rule);
        }

        var outcome = await commands.SendAsync(vin!, command, cancellationToken);
        return TypedResults.Json(outcome.Accepted, LegacyJson.Options);
    }

    private static ValueTask<VehicleEntry> FindAsync(string vin, VehicleDirectory directory, CancellationToken cancellationToken) =>
        Vin.IsValid(vin)
            ? directory.FindAsync(vin, cancellationToken)
            : throw GatewayException.Validation($"vin: {Vin.Rule}");

    private static bool? Flag(string value) => value switch
    {
        "1" or "true" or "True" => true,
        "0" or "false" or "False" => false,
        _ => null,
    };

    private static int? Count(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 60 ? n : null;

    private static bool IsTrue(string? value) => value is "1" or "true" or "True";

    private static IResult BadInput(string field, string reason) => LegacyJson.Error(400, $"{field}: {reason}");

    // The legacy surface answers {"error": "..."} with a real status code (and Retry-After where waiting helps)
    // instead of ProblemDetails.
    private sealed class LegacyFailures : IFailureShape
    {
        public IResult Answer(GatewayException failure) => LegacyJson.Error(failure.StatusCode, failure.Message);
    }
}
