using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace EvGateway.Simulator.Psa;

/// <summary>The OAuth token endpoint and the connected-car v4 REST API, answering like the recorded payloads.</summary>
internal static class PsaHttpApi
{
    private const string HalJson = "application/hal+json";

    public static void Map(IEndpointRouteBuilder endpoints, PsaCloud cloud)
    {
        endpoints.MapPost(cloud.TokenUrl.AbsolutePath, (HttpRequest request) => GrantTokens(request, cloud));

        var api = endpoints.MapGroup(cloud.ApiUrl.AbsolutePath);
        api.AddEndpointFilter((context, next) => GuardAsync(context, next, cloud));
        api.MapGet("/user/vehicles", () => Hal(PsaDocuments.Vehicles(cloud.Vehicles, cloud.ApiUrl.ToString())));
        api.MapGet("/user/vehicles/{id}/status", (string id) => cloud.FindById(id) is { } vehicle
            ? Hal(PsaDocuments.Status(vehicle.View(), cloud.ApiUrl.ToString()))
            : Hal(PsaDocuments.VehicleNotFound(cloud.Time.GetUtcNow()), StatusCodes.Status404NotFound));
        api.MapGet("/user/vehicles/{id}/lastPosition", (string id) => cloud.FindById(id) is { } vehicle
            ? Hal(PsaDocuments.Position(vehicle.View().Car))
            : Hal(PsaDocuments.VehicleNotFound(cloud.Time.GetUtcNow()), StatusCodes.Status404NotFound));
        api.MapPost("/virtualkey/remoteaccess/token", (HttpRequest request) => RefreshRemoteToken(request, cloud));
    }

    private static async Task<IResult> GrantTokens(HttpRequest request, PsaCloud cloud)
    {
        if (!HasDemoClientCredentials(request))
        {
            request.HttpContext.Response.Headers.WWWAuthenticate = "Basic realm=\"oauth2\"";
            return Json(PsaDocuments.OAuthError("invalid_client", "Client authentication failed"), StatusCodes.Status401Unauthorized);
        }

        var form = await ReadParametersAsync(request);
        if (form.GetValueOrDefault("grant_type") == "authorization_code")
        {
            return PsaLoginPage.ExchangeCode(form, cloud);
        }

        if (form.GetValueOrDefault("grant_type") != "refresh_token")
        {
            return Json(PsaDocuments.OAuthError("unsupported_grant_type", "Only refresh_token and authorization_code are supported here"),
                StatusCodes.Status400BadRequest);
        }

        var grant = cloud.Identity.Refresh(form.GetValueOrDefault("refresh_token"));
        return grant.Outcome switch
        {
            GrantOutcome.Issued => Json(PsaDocuments.OAuthTokens(grant)),
            GrantOutcome.RateLimited => TooManyRequests(request.HttpContext, grant.RetryAfter,
                PsaDocuments.OAuthError("too_many_requests", "Too many token requests for this account")),
            _ => Json(PsaDocuments.OAuthError("invalid_grant", "grant is invalid"), StatusCodes.Status400BadRequest),
        };
    }

    private static async Task<IResult> RefreshRemoteToken(HttpRequest request, PsaCloud cloud)
    {
        var parameters = await ReadParametersAsync(request);
        var grant = parameters.GetValueOrDefault("grant_type") switch
        {
            "refresh_token" => cloud.RemoteAccess.Refresh(parameters.GetValueOrDefault("refresh_token")),
            "password" => cloud.Pairing.RedeemOtp(parameters.GetValueOrDefault("password")) ? cloud.RemoteAccess.Issue() : GrantResult.InvalidGrant,
            _ => null,
        };
        if (grant is null)
        {
            return Json(PsaDocuments.OAuthError("unsupported_grant_type", "Only refresh_token and password are supported here"),
                StatusCodes.Status400BadRequest);
        }

        return grant.Outcome == GrantOutcome.Issued
            ? Json(PsaDocuments.RemoteTokens(grant))
            : Json(PsaDocuments.OAuthError("invalid_grant", "grant is invalid"), StatusCodes.Status400BadRequest);
    }

    /// <summary>What the real API gateway checks before any v4 handler runs, plus injected faults.</summary>
    private static async ValueTask<object?> GuardAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, PsaCloud cloud)
    {
        var http = context.HttpContext;
        var apiRoot = cloud.ApiUrl.AbsolutePath;
        var template = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        cloud.CountCall(http.Request.Path.Value![apiRoot.Length..], template?[apiRoot.Length..]);

        if (cloud.TryTakeFault(out var fault))
        {
            return await FaultAsync(http, fault, cloud);
        }

        // The remote-token call is made by the virtual-key SDK, which does not always send the realm; the data calls must.
        var isDataCall = template?.Contains("/user/", StringComparison.Ordinal) == true;
        return Refusal(http.Request, cloud, realmRequired: isDataCall) ?? await next(context);
    }

    /// <summary>The API gateway's checks of the caller (access token, client id, realm); null when the call may pass.</summary>
    internal static IResult? Refusal(HttpRequest request, PsaCloud cloud, bool realmRequired)
    {
        if (!cloud.Identity.IsValidAccessToken(BearerToken(request)))
        {
            return Json(PsaDocuments.Unauthorized(), StatusCodes.Status401Unauthorized);
        }

        if (request.Query["client_id"] != PsaCloud.DemoClientId)
        {
            return Json(PsaDocuments.ApiError(401, "Unauthorized", "Client id not registered."), StatusCodes.Status401Unauthorized);
        }

        var realm = request.Headers["x-introspect-realm"].ToString();
        return (realmRequired || realm.Length > 0) && realm != PsaCloud.Realm
            ? Json(PsaDocuments.ApiError(403, "Forbidden", "Realm is not valid for this token"), StatusCodes.Status403Forbidden)
            : null;
    }

    private static async Task<IResult> FaultAsync(HttpContext http, PsaFault fault, PsaCloud cloud)
    {
        switch (fault)
        {
            case PsaFault.RateLimited:
                return TooManyRequests(http, TimeSpan.FromSeconds(30), PsaDocuments.ApiError(429, "Too Many Requests", "Rate Limit exceeded"));
            case PsaFault.Timeout:
                using (var hang = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, cloud.Stopping))
                using (cloud.Hold())
                {
                    try
                    {
                        await Task.Delay(Timeout.InfiniteTimeSpan, hang.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // The client gave up or the simulator is stopping: either way nobody reads an answer.
                    }
                }

                return Results.StatusCode(StatusCodes.Status504GatewayTimeout);
            case PsaFault.BadGatewayHtml:
                return Results.Content("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>",
                    "text/html", Encoding.UTF8, StatusCodes.Status502BadGateway);
            default:
                return Json(PsaDocuments.ApiError(500, "Internal Server Error", "Internal Server Error"), StatusCodes.Status500InternalServerError);
        }
    }

    private static bool HasDemoClientCredentials(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            && decoded[..colon] == PsaCloud.DemoClientId
            && BearerTokenStore.SameSecret(decoded[(colon + 1)..], PsaCloud.DemoClientSecret);
    }

    internal static string? BearerToken(HttpRequest request) =>
        AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
        && string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            ? header.Parameter
            : null;

    /// <summary>Token endpoints take a form; some clients of the virtual-key endpoint post the same fields as JSON.</summary>
    private static async Task<Dictionary<string, string>> ReadParametersAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            return form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        }

        if (request.HasJsonContentType())
        {
            try
            {
                var body = await JsonSerializer.DeserializeAsync<JsonObject>(request.Body, cancellationToken: request.HttpContext.RequestAborted);
                return body?.Where(p => p.Value is JsonValue)
                    .ToDictionary(p => p.Key, p => p.Value!.ToString(), StringComparer.Ordinal) ?? [];
            }
            catch (JsonException)
            {
                return [];
            }
        }

        return [];
    }

    private static IResult TooManyRequests(HttpContext http, TimeSpan retryAfter, JsonObject body)
    {
        http.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return Json(body, StatusCodes.Status429TooManyRequests);
    }

    internal static IResult Hal(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Content(body.ToJsonString(), HalJson, Encoding.UTF8, status);

    internal static IResult Json(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Content(body.ToJsonString(), "application/json", Encoding.UTF8, status);
}
