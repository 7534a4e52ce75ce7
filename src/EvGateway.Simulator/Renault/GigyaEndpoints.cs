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
/// Gigya accounts API: login, account info and JWT, plus the e-mailed second factor of <see cref="GigyaTwoFactor"/>.
/// Like the real service it answers HTTP 200 with a JSON body whose <c>errorCode</c> says whether the call worked
/// (except a login pending its second factor, which comes as HTTP 403), and serves it as text/javascript.
/// </summary>
internal sealed class GigyaEndpoints(RenaultCloud cloud, RenaultDirectory directory, GigyaJwt jwt, GigyaTwoFactor twoFactor, GigyaAnswers answers)
{
    public const string Login = "accounts.login";
    public const string GetAccountInfo = "accounts.getAccountInfo";
    public const string GetJwt = "accounts.getJWT";
    private const int PendingTwoFactor = 403101;

    // The tokens are long lived and only die when revoked.
    private readonly ConcurrentDictionary<string, LoginGrant> loginTokens = new(StringComparer.Ordinal);

    public void Map(IEndpointRouteBuilder endpoints)
    {
        var gigya = endpoints.MapGroup("/gigya");
        gigya.MapPost("/" + Login, Method(Login, HandleLogin));
        gigya.MapPost("/" + GetAccountInfo, Method(GetAccountInfo, HandleGetAccountInfo));
        gigya.MapPost("/" + GetJwt, Method(GetJwt, HandleGetJwt));
        // The web SDK sends these as GET with a query string; other clients post forms.
        foreach (var (name, handler) in twoFactor.Methods())
        {
            gigya.MapMethods("/" + name, ["GET", "POST"], Method(name, handler));
        }
    }

    private Delegate Method(string name, Func<IReadOnlyDictionary<string, string>, JsonObject> handler) =>
        Method(name, (_, parameters) => handler(parameters));

    // Typed as Delegate so the minimal API writes the returned IResult instead of treating it as a RequestDelegate.
    private Delegate Method(string name, Func<HttpResponse, IReadOnlyDictionary<string, string>, JsonObject> handler) =>
        (HttpContext context) => Handle(context, name, handler);

    public void RevokeLoginTokens() => loginTokens.Clear();

    private async Task<IResult> Handle(HttpContext context, string method, Func<HttpResponse, IReadOnlyDictionary<string, string>, JsonObject> handler)
    {
        if (cloud.Faults.Arrive(method, isKamereon: false) is { } fault)
        {
            return await cloud.AnswerFault(context, fault);
        }

        var parameters = await ReadParameters(context.Request);
        if (parameters.GetValueOrDefault("ApiKey") != cloud.GigyaApiKey)
        {
            return Answer(answers.Error(400093, "Invalid ApiKey parameter", "Invalid ApiKey parameter", 400, "Bad Request"));
        }

        return Answer(handler(context.Response, parameters));
    }

    private JsonObject HandleLogin(IReadOnlyDictionary<string, string> parameters)
    {
        if (!parameters.TryGetValue("loginID", out var loginId) || !parameters.TryGetValue("password", out var password))
        {
            return answers.MissingParameter();
        }

        var person = directory.PersonByLogin(loginId);
        if (person is null || !CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(person.Password), Encoding.UTF8.GetBytes(password)))
        {
            return answers.Error(403042, "invalid loginID or password", "Invalid LoginID", 403, "Forbidden");
        }

        if (person.TwoFactorRequired && !twoFactor.Admits(person, parameters.GetValueOrDefault("gmid")))
        {
            var pending = answers.Error(PendingTwoFactor, "Pending Two-Factor Authentication", "Account Pending TFA Verification", 403, "Forbidden");
            pending["UID"] = person.PersonId;
            pending["regToken"] = twoFactor.StartChallenge(person);
            pending["sessionInfo"] = new JsonObject { ["expires_in"] = GigyaTwoFactor.ChallengeLifetimeSeconds.ToString(CultureInfo.InvariantCulture) };
            return pending;
        }

        var token = GigyaAnswers.NewToken("st2.s.");
        loginTokens[token] = new LoginGrant(person.PersonId, Verified: person.TwoFactorRequired);
        var answer = answers.Success();
        answer["UID"] = person.PersonId;
        answer["isActive"] = true;
        answer["isRegistered"] = true;
        answer["isVerified"] = true;
        answer["lastLogin"] = answers.Timestamp();
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

        var answer = answers.Success();
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

        var answer = answers.Success();
        answer["ignoredFields"] = "";
        answer["id_token"] = jwt.Issue(person, cloud.GigyaApiKey);
        return answer;
    }

    // A revoked or unknown login token is "Unauthorized user"; a session opened before the person's account began to
    // require a second factor is "Unverified user" — the two answers the real getJWT gives when the gateway has to log in again.
    private RenaultPerson? SessionPerson(IReadOnlyDictionary<string, string> parameters, out JsonObject failure)
    {
        failure = answers.Error(403005, "Unauthorized user", "Unauthorized user", 403, "Forbidden");
        if (!parameters.TryGetValue("login_token", out var token))
        {
            failure = answers.MissingParameter();
            return null;
        }

        if (!loginTokens.TryGetValue(token, out var grant) || directory.Person(grant.PersonId) is not { } person)
        {
            return null;
        }

        if (person.TwoFactorRequired && !grant.Verified)
        {
            failure = answers.Error(403013, "Unverified user", "Unverified user", 403, "Forbidden");
            return null;
        }

        return person;
    }

    // Parameter names are matched without regard to case, as Gigya accepts ApiKey, apiKey and APIKey alike. The device
    // cookies stand in for the gmid/ucid parameters a client may also send explicitly.
    private static async Task<IReadOnlyDictionary<string, string>> ReadParameters(HttpRequest request)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
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

        foreach (var cookie in (string[])["gmid", "ucid"])
        {
            if (!parameters.ContainsKey(cookie) && request.Cookies.TryGetValue(cookie, out var value))
            {
                parameters[cookie] = value;
            }
        }

        return parameters;
    }

    private static IResult Answer(JsonObject body) => Results.Content(body.ToJsonString(), "text/javascript; charset=utf-8",
        statusCode: (int?)body["errorCode"] == PendingTwoFactor ? StatusCodes.Status403Forbidden : StatusCodes.Status200OK);

    /// <summary>Whose a login token is, and whether it was issued after the person's second factor was checked.</summary>
    private sealed record LoginGrant(string PersonId, bool Verified);
}
