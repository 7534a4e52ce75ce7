using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EvGateway.Simulator.Renault;

/// <summary>
/// Gigya accounts API: login, account info and JWT. Like the real service it answers HTTP 200 with a JSON body
/// whose <c>errorCode</c> says whether the call worked, and serves it as text/javascript.
/// </summary>
internal sealed class GigyaEndpoints(RenaultCloud cloud, RenaultDirectory directory, GigyaJwt jwt, TimeProvider time)
{
    public const string Login = "accounts.login";
    public const string GetAccountInfo = "accounts.getAccountInfo";
    public const string GetJwt = "accounts.getJWT";

    // login token → personId; the tokens are long lived and only die when revoked.
    private readonly ConcurrentDictionary<string, string> loginTokens = new(StringComparer.Ordinal);

    public void Map(IEndpointRouteBuilder endpoints)
    {
        var gigya = endpoints.MapGroup("/gigya");
        gigya.MapPost("/" + Login, Method(Login, HandleLogin));
        gigya.MapPost("/" + GetAccountInfo, Method(GetAccountInfo, HandleGetAccountInfo));
        gigya.MapPost("/" + GetJwt, Method(GetJwt, HandleGetJwt));
    }

    // Typed as Delegate so the minimal API writes the returned IResult instead of treating it as a RequestDelegate.
    private Delegate Method(string name, Func<IReadOnlyDictionary<string, string>, JsonObject> handler) =>
        (HttpContext context) => Handle(context, name, handler);

    public void RevokeLoginTokens() => loginTokens.Clear();

    private async Task<IResult> Handle(HttpContext context, string method, Func<IReadOnlyDictionary<string, string>, JsonObject> handler)
    {
        if (cloud.Faults.Arrive(method, isKamereon: false) is { } fault)
        {
            return await RenaultCloud.AnswerFault(context, fault);
        }

        var parameters = await ReadParameters(context.Request);
        if (parameters.GetValueOrDefault("ApiKey") != cloud.GigyaApiKey)
        {
            return Answer(Error(400093, "Invalid ApiKey parameter", "Invalid ApiKey parameter", 400, "Bad Request"));
        }

        return Answer(handler(parameters));
    }

    private JsonObject HandleLogin(IReadOnlyDictionary<string, string> parameters)
    {
        if (!parameters.TryGetValue("loginID", out var loginId) || !parameters.TryGetValue("password", out var password))
        {
            return MissingParameter();
        }

        var person = directory.PersonByLogin(loginId);
        if (person is null || !CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(person.Password), Encoding.UTF8.GetBytes(password)))
        {
            return Error(403042, "invalid loginID or password", "Invalid LoginID", 403, "Forbidden");
        }

        if (person.TwoFactorPending)
        {
            return Error(403101, "Pending Two-Factor Authentication", "Account Pending TFA Verification", 403, "Forbidden");
        }

        var token = "st2.s." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        loginTokens[token] = person.PersonId;
        var answer = Success();
        answer["UID"] = person.PersonId;
        answer["isActive"] = true;
        answer["isRegistered"] = true;
        answer["isVerified"] = true;
        answer["lastLogin"] = Timestamp();
        answer["loginProvider"] = "site";
        answer["profile"] = new JsonObject { ["email"] = person.Username };
        answer["newUser"] = false;
        answer["sessionInfo"] = new JsonObject { ["cookieName"] = "glt_" + cloud.GigyaApiKey, ["cookieValue"] = token };
        return answer;
    }

    private JsonObject HandleGetAccountInfo(IReadOnlyDictionary<string, string> parameters)
    {
        if (SessionPerson(parameters, out var failure) is not { } person)
        {
            return failure;
        }

        var answer = Success();
        answer["UID"] = person.PersonId;
        answer["data"] = new JsonObject { ["personId"] = person.PersonId, ["gigyaDataCenter"] = person.GigyaDataCenter };
        answer["emails"] = new JsonObject { ["verified"] = new JsonArray(person.Username), ["unverified"] = new JsonArray() };
        answer["isActive"] = true;
        answer["isRegistered"] = true;
        answer["isVerified"] = true;
        answer["loginProvider"] = "site";
        answer["profile"] = new JsonObject { ["email"] = person.Username };
        return answer;
    }

    private JsonObject HandleGetJwt(IReadOnlyDictionary<string, string> parameters)
    {
        if (SessionPerson(parameters, out var failure) is not { } person)
        {
            return failure;
        }

        var answer = Success();
        answer["ignoredFields"] = "";
        answer["id_token"] = jwt.Issue(person, cloud.GigyaApiKey);
        return answer;
    }

    // A revoked or unknown login token is "Unauthorized user"; a person whose account now waits for a second factor is
    // "Unverified user" — the two answers the real getJWT gives when the gateway has to log in again.
    private RenaultPerson? SessionPerson(IReadOnlyDictionary<string, string> parameters, out JsonObject failure)
    {
        failure = Error(403005, "Unauthorized user", "Unauthorized user", 403, "Forbidden");
        if (!parameters.TryGetValue("login_token", out var token))
        {
            failure = MissingParameter();
            return null;
        }

        if (!loginTokens.TryGetValue(token, out var personId) || directory.Person(personId) is not { } person)
        {
            return null;
        }

        if (person.TwoFactorPending)
        {
            failure = Error(403013, "Unverified user", "Unverified user", 403, "Forbidden");
            return null;
        }

        return person;
    }

    private static async Task<IReadOnlyDictionary<string, string>> ReadParameters(HttpRequest request)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Query)
        {
            parameters[name] = value.ToString();
        }

        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            foreach (var (name, value) in form)
            {
                parameters[name] = value.ToString();
            }
        }

        return parameters;
    }

    private JsonObject Success() => new()
    {
        ["callId"] = Guid.NewGuid().ToString("N"),
        ["errorCode"] = 0,
        ["apiVersion"] = 2,
        ["statusCode"] = 200,
        ["statusReason"] = "OK",
        ["time"] = Timestamp(),
    };

    private JsonObject MissingParameter() => Error(400002, "Missing required parameter", "Missing required parameter", 400, "Bad Request");

    private JsonObject Error(int code, string details, string message, int statusCode, string statusReason) => new()
    {
        ["callId"] = Guid.NewGuid().ToString("N"),
        ["errorCode"] = code,
        ["errorDetails"] = details,
        ["errorMessage"] = message,
        ["apiVersion"] = 2,
        ["statusCode"] = statusCode,
        ["statusReason"] = statusReason,
        ["time"] = Timestamp(),
    };

    private string Timestamp() => time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static IResult Answer(JsonObject body) => Results.Content(body.ToJsonString(), "text/javascript; charset=utf-8");
}
