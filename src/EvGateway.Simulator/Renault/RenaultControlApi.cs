using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace EvGateway.Simulator.Renault;

/// <summary>
/// HTTP twin of <see cref="RenaultCloud"/>'s test API, for demos and out-of-process tests:
/// <code>
/// POST /_control/renault/fail-next?count=2&amp;fault=ServerError500[&amp;name=battery-status]
/// POST /_control/renault/revoke-login-tokens
/// POST /_control/renault/two-factor-required?required=true[&amp;username=...]
/// GET  /_control/renault/emails           POST /_control/renault/forget-remembered-devices
/// GET  /_control/renault/calls            GET /_control/renault/calls/{name}     POST /_control/renault/reset-counters
/// GET  /_control/renault/cars/{vin}       POST /_control/renault/cars/{vin}/plug?plugged=true
/// POST /_control/renault/cars/{vin}/level?percent=40      POST /_control/renault/cars/{vin}/drive?km=12
/// POST /_control/renault/accounts?accountType=MYRENAULT
/// POST /_control/renault/accounts/{accountId}/vehicles?vin=...&amp;modelCode=...[&amp;capacityKwh=&amp;chargePowerKw=&amp;level=&amp;plugged=]
/// </code>
/// </summary>
internal static class RenaultControlApi
{
    public static void Map(IEndpointRouteBuilder endpoints, RenaultCloud cloud)
    {
        var control = endpoints.MapGroup("/_control/renault");
        control.MapPost("/fail-next", Results<NoContent, BadRequest<string>> (int count, string fault, string? name) =>
        {
            if (!Enum.TryParse<RenaultFault>(fault, ignoreCase: true, out var parsed) || count < 0)
            {
                return TypedResults.BadRequest($"fault must be one of {string.Join(", ", Enum.GetNames<RenaultFault>())} and count >= 0");
            }

            cloud.FailNext(count, parsed, name);
            return TypedResults.NoContent();
        });
        control.MapPost("/revoke-login-tokens", () =>
        {
            cloud.RevokeLoginTokens();
            return TypedResults.NoContent();
        });
        control.MapPost("/two-factor-required", Results<NoContent, NotFound> (bool required, string? username) =>
        {
            try
            {
                cloud.SetTwoFactorRequired(required, username ?? RenaultCloud.DemoUsername);
                return TypedResults.NoContent();
            }
            catch (KeyNotFoundException)
            {
                return TypedResults.NotFound();
            }
        });
        control.MapGet("/emails", () => TypedResults.Ok(cloud.SentEmails()));
        control.MapPost("/forget-remembered-devices", () =>
        {
            cloud.ForgetRememberedDevices();
            return TypedResults.NoContent();
        });
        control.MapGet("/calls", () => TypedResults.Ok(cloud.CallCounts()));
        control.MapGet("/calls/{name}", (string name) => TypedResults.Ok(new { name, count = cloud.CallCount(name) }));
        control.MapPost("/reset-counters", () =>
        {
            cloud.ResetCounters();
            return TypedResults.NoContent();
        });

        var cars = control.MapGroup("/cars/{vin}");
        cars.MapGet("/", (string vin) => WithCar(cloud, vin, vehicle => TypedResults.Ok(new
        {
            vehicle.Vin,
            vehicle.ModelCode,
            vehicle.AccountId,
            vehicle.ScheduleMode,
            State = vehicle.Car.Read(),
        })));
        cars.MapPost("/plug", (string vin, bool plugged) => WithCar(cloud, vin, vehicle => vehicle.Car.Plug(plugged)));
        cars.MapPost("/level", (string vin, double percent) => WithCar(cloud, vin, vehicle => vehicle.Car.SetLevel(percent)));
        cars.MapPost("/drive", (string vin, double km) => WithCar(cloud, vin, vehicle => vehicle.Car.Drive(km)));

        control.MapPost("/accounts", (string accountType, string? personId) =>
            Rejecting(() => TypedResults.Ok(cloud.AddAccount(accountType, personId ?? RenaultCloud.DemoPersonId))));
        control.MapPost("/accounts/{accountId}/vehicles",
            (string accountId, string vin, string modelCode, double? capacityKwh, double? chargePowerKw, double? level, bool? plugged) =>
                Rejecting(() =>
                {
                    var spec = new Cars.CarSpec(modelCode, capacityKwh ?? 52, chargePowerKw ?? 7.4, ConsumptionKwhPer100Km: 17);
                    var vehicle = cloud.AddVehicle(accountId, vin, modelCode, spec, level: level ?? 50, plugged: plugged ?? false);
                    return TypedResults.Ok(new { vehicle.Vin, vehicle.ModelCode, vehicle.AccountId });
                }));
    }

    // An unknown person or account, or a VIN already taken, is the caller's mistake, not a simulator failure.
    private static IResult Rejecting(Func<IResult> add)
    {
        try
        {
            return add();
        }
        catch (InvalidOperationException e)
        {
            return TypedResults.BadRequest(e.Message);
        }
    }

    private static IResult WithCar(RenaultCloud cloud, string vin, Action<RenaultVehicle> change) =>
        WithCar(cloud, vin, vehicle =>
        {
            change(vehicle);
            return TypedResults.NoContent();
        });

    private static IResult WithCar(RenaultCloud cloud, string vin, Func<RenaultVehicle, IResult> answer)
    {
        try
        {
            return answer(cloud.Vehicle(vin));
        }
        catch (KeyNotFoundException)
        {
            return TypedResults.NotFound();
        }
    }
}
