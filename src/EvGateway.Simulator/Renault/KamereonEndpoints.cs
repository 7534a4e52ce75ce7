using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EvGateway.Simulator.Renault;

/// <summary>
/// Kamereon REST: persons, vehicles and the per-car car-adapter (kca) and KCM routes. Every call passes the same
/// gate as the real cloud: injected faults, apikey (403), id_token JWT (401), country (400), hourly quota (429), and
/// only then ownership, model capability and the operation itself.
/// </summary>
internal sealed class KamereonEndpoints(RenaultCloud cloud, RenaultDirectory directory, GigyaJwt jwt, KamereonQuota quota, TimeProvider time)
{
    private const string AccountRoot = "/commerce/v1/accounts/{accountId}";

    public void Map(IEndpointRouteBuilder endpoints)
    {
        var kamereon = endpoints.MapGroup("/kamereon");
        kamereon.MapGet("/commerce/v1/persons/{personId}", (HttpContext context, string personId) =>
            Guarded(context, "persons", quotaKey: "person:" + personId, caller => Person(caller, personId)));
        kamereon.MapGet(AccountRoot + "/vehicles", (HttpContext context, string accountId) =>
            Guarded(context, "vehicles", quotaKey: accountId, caller => Vehicles(caller, accountId)));
        kamereon.MapMethods(AccountRoot + "/kamereon/kca/car-adapter/{version}/cars/{vin}/{**operation}", ["GET", "POST"],
            (HttpContext context, string accountId, string version, string vin, string operation) =>
                CarCall(context, accountId, vin, $"kca/{version}/{operation}"));
        kamereon.MapMethods(AccountRoot + "/kamereon/kcm/v1/vehicles/{vin}/{**operation}", ["GET", "POST"],
            (HttpContext context, string accountId, string vin, string operation) =>
                CarCall(context, accountId, vin, $"kcm/{operation}"));
    }

    private Task<IResult> CarCall(HttpContext context, string accountId, string vin, string path)
    {
        var callName = path[(path.LastIndexOf('/') + 1)..];
        return Guarded(context, callName, quotaKey: accountId, async caller =>
        {
            if (directory.Account(accountId) is not { } account || account.PersonId != caller.PersonId
                || directory.Vehicle(vin) is not { } vehicle || vehicle.AccountId != accountId)
            {
                return KamereonErrors.Forbidden();
            }

            if (!KamereonCarOperations.TryFind(context.Request.Method, path, out var operation))
            {
                return KamereonErrors.NotFound();
            }

            var body = HttpMethods.IsPost(context.Request.Method) ? await ReadBody(context.Request) : null;
            return operation.Invoke(new KamereonCall(vehicle, body, time.GetUtcNow(), context.Request.Query));
        });
    }

    private async Task<IResult> Guarded(HttpContext context, string callName, string quotaKey, Func<Caller, Task<IResult>> handler)
    {
        if (cloud.Faults.Arrive(callName, isKamereon: true) is { } fault)
        {
            return await cloud.AnswerFault(context, fault);
        }

        var request = context.Request;
        if (request.Headers["apikey"].ToString() != cloud.KamereonApiKey)
        {
            return KamereonErrors.AccessDenied();
        }

        if (request.Headers.ContainsKey("x-kamereon-authorization")
            || jwt.Validate(request.Headers["x-gigya-id_token"].ToString()) is not { } personId)
        {
            return KamereonErrors.Unauthorized();
        }

        if (string.IsNullOrEmpty(request.Query["country"]))
        {
            return KamereonErrors.BadRequest("NotNull", "must not be null", "country");
        }

        if (!quota.TryAdmit(quotaKey))
        {
            return KamereonErrors.QuotaExceeded();
        }

        return await handler(new Caller(personId, request.Query["country"].ToString()));
    }

    private Task<IResult> Guarded(HttpContext context, string callName, string quotaKey, Func<Caller, IResult> handler) =>
        Guarded(context, callName, quotaKey, caller => Task.FromResult(handler(caller)));

    private IResult Person(Caller caller, string personId)
    {
        if (caller.PersonId != personId || directory.Person(personId) is not { } person)
        {
            return KamereonErrors.Forbidden();
        }

        var accounts = new JsonArray();
        foreach (var account in directory.AccountsOf(personId))
        {
            accounts.Add(new JsonObject
            {
                ["accountId"] = account.AccountId,
                ["accountType"] = account.AccountType,
                ["accountStatus"] = "ACTIVE",
                ["country"] = caller.Country,
                ["personId"] = personId,
                ["relationType"] = "OWNER",
            });
        }

        return Json(new JsonObject
        {
            ["personId"] = personId,
            ["type"] = "I",
            ["country"] = caller.Country,
            ["idp"] = new JsonObject
            {
                ["idpType"] = "GIGYA",
                ["idpStatus"] = "ACTIVE",
                ["login"] = person.Username,
                ["loginType"] = "EMAIL",
            },
            ["emails"] = new JsonArray(new JsonObject { ["emailType"] = "MAIN", ["emailValue"] = person.Username, ["validityFlag"] = true }),
            ["identities"] = new JsonArray(),
            ["myrRequest"] = false,
            ["accounts"] = accounts,
        });
    }

    private IResult Vehicles(Caller caller, string accountId)
    {
        if (directory.Account(accountId) is not { } account || account.PersonId != caller.PersonId)
        {
            return KamereonErrors.Forbidden();
        }

        var links = new JsonArray();
        foreach (var vehicle in directory.VehiclesOf(accountId))
        {
            links.Add(VehicleLink(vehicle));
        }

        return Json(new JsonObject { ["accountId"] = accountId, ["country"] = caller.Country, ["vehicleLinks"] = links });
    }

    private static JsonObject VehicleLink(RenaultVehicle vehicle) => new()
    {
        ["brand"] = vehicle.Brand,
        ["vin"] = vehicle.Vin,
        ["status"] = "ACTIVE",
        ["linkType"] = "OWNER",
        ["garageBrand"] = vehicle.Brand,
        ["cancellationReason"] = new JsonObject(),
        ["connectedDriver"] = new JsonObject { ["role"] = "MAIN_DRIVER" },
        ["vehicleDetails"] = new JsonObject
        {
            ["vin"] = vehicle.Vin,
            ["registrationNumber"] = "EV-" + vehicle.Vin[^5..],
            ["engineEnergyType"] = "ELEC",
            ["brand"] = new JsonObject { ["label"] = vehicle.Brand },
            ["model"] = new JsonObject { ["code"] = vehicle.ModelCode, ["label"] = vehicle.ModelLabel, ["group"] = "971" },
            ["energy"] = new JsonObject { ["code"] = "ELEC", ["label"] = "ELECTRIQUE", ["group"] = "019" },
            ["battery"] = new JsonObject
            {
                ["code"] = "BT" + Math.Round(vehicle.Car.Spec.CapacityKwh).ToString(CultureInfo.InvariantCulture) + "K",
                ["label"] = "BATTERIE " + vehicle.Car.Spec.CapacityKwh.ToString(CultureInfo.InvariantCulture) + " KWH",
                ["group"] = "968",
            },
            ["electrical"] = true,
            ["connectivityTechnology"] = "RLINK1",
        },
    };

    private static async Task<JsonNode?> ReadBody(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult Json(JsonObject body) => Results.Content(body.ToJsonString(), "application/json");

    private sealed record Caller(string PersonId, string Country);
}
