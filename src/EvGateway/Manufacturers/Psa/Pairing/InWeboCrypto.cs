using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace EvGateway.Manufacturers.Psa.Pairing;

/// <summary>
/// The inWebo soft token's arithmetic (psa-remote-pairing.md §3, §5, §6): RSA-OAEP with SHA-256 over keys that arrive
/// as bare moduli with exponent 17, the PIN-derived AES key Kma, the R proofs, K1 rotation and the OTP itself.
/// Everything the client computes is lowercase hex; server hex is read in either case.
/// </summary>
internal static class InWeboCrypto
{
    public const int PublicExponent = 17;
    public const int OaepSeedLength = 32;

    private const string Base36Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static readonly byte[] EmptyLabelHash = SHA256.HashData([]);

    /// <summary>Reads a server modulus; anything that is not hex is a broken answer.</summary>
    public static BigInteger ParseModulus(string hex) =>
        new(Convert.FromHexString(hex), isUnsigned: true, isBigEndian: true);

    /// <summary>
    /// Recovers a key the server wrapped under <paramref name="wrappingModulus"/> with its private key: each block is
    /// opened with the public exponent and OAEP-decoded; the payloads, concatenated, are the wrapped key's modulus.
    /// </summary>
    public static string UnwrapToHex(string wrappedHex, BigInteger wrappingModulus)
    {
        var wrapped = Convert.FromHexString(wrappedHex);
        var blockLength = ModulusLength(wrappingModulus);
        if (wrapped.Length == 0 || wrapped.Length % blockLength != 0)
        {
            throw new CryptographicException("The wrapped key is not a whole number of RSA blocks.");
        }

        var unwrapped = new StringBuilder();
        for (var offset = 0; offset < wrapped.Length; offset += blockLength)
        {
            var block = new BigInteger(wrapped.AsSpan(offset, blockLength), isUnsigned: true, isBigEndian: true);
            var encoded = ToFixedLength(BigInteger.ModPow(block, PublicExponent, wrappingModulus), blockLength);
            unwrapped.Append(Convert.ToHexStringLower(OaepDecode(encoded)));
        }

        return unwrapped.ToString();
    }

    /// <summary>RSAES-OAEP (SHA-256, MGF1-SHA-256, empty label) to (N, 17), with the seed given so tests can pin it.</summary>
    public static string Encrypt(BigInteger modulus, ReadOnlySpan<byte> message, ReadOnlySpan<byte> seed)
    {
        var length = ModulusLength(modulus);
        var encoded = OaepEncode(message, seed, length);
        var cipher = BigInteger.ModPow(new BigInteger(encoded, isUnsigned: true, isBigEndian: true), PublicExponent, modulus);
        return Convert.ToHexStringLower(ToFixedLength(cipher, length));
    }

    /// <summary>The first 16 bytes of SHA-256("PIN;serial"): the AES key of everything the server sends encrypted.</summary>
    public static byte[] Kma(string pin, string serial) => Sha256(pin + ";" + serial)[..16];

    /// <summary>R0, R1 or R2: SHA-256 of "challenge;K0;last" in lowercase hex.</summary>
    public static string Proof(string challenge, string k0, string last) =>
        Convert.ToHexStringLower(Sha256(challenge + ";" + k0 + ";" + last));

    public static string AesEncryptToHex(byte[] kma, byte[] plain)
    {
        using var aes = Aes.Create();
        aes.Key = kma;
        return Convert.ToHexStringLower(aes.EncryptEcb(plain, PaddingMode.None));
    }

    public static string AesDecryptHexToHex(byte[] kma, string cipherHex)
    {
        var cipher = Convert.FromHexString(cipherHex);
        if (cipher.Length == 0 || cipher.Length % 16 != 0)
        {
            throw new CryptographicException("An encrypted key is not a whole number of AES blocks.");
        }

        using var aes = Aes.Create();
        aes.Key = kma;
        return Convert.ToHexStringLower(aes.DecryptEcb(cipher, PaddingMode.None));
    }

    /// <summary>The server's dK1 moves K1 on: the first 32 hex of SHA-256("K1;dK1").</summary>
    public static string RotateK1(string k1, string dK1) => Convert.ToHexStringLower(Sha256(k1 + ";" + dK1))[..32];

    /// <summary>The one-time password for a challenge's <paramref name="defi"/> (§5 Derivation).</summary>
    public static string Otp(string k1, string defi, string secretValue) => ToBase36(OtpNumber(k1, defi, secretValue));

    public static long OtpNumber(string k1, string defi, string secretValue)
    {
        var hash = Sha256(k1 + ":" + defi + ":" + secretValue);
        long high = BinaryPrimitives.ReadUInt32BigEndian(hash) & 0x0FFFFFFF;
        long low = BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(4)) & 0x3FF;
        return high * 1024 + low;
    }

    /// <summary>Base 36, least significant digit first, 'a' for zero: psa_car_controller's spelling, not a textbook one.</summary>
    public static string ToBase36(long number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        var digits = new StringBuilder();
        do
        {
            digits.Append(Base36Alphabet[(int)(number % 36)]);
            number /= 36;
        }
        while (number > 0);

        return digits.ToString();
    }

    private static byte[] Sha256(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    private static int ModulusLength(BigInteger modulus) => (int)((modulus.GetBitLength() + 7) / 8);

    private static byte[] ToFixedLength(BigInteger value, int length)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (bytes.Length > length)
        {
            throw new CryptographicException("An RSA value is longer than its modulus.");
        }

        var fixedLength = new byte[length];
        bytes.CopyTo(fixedLength, length - bytes.Length);
        return fixedLength;
    }

    private static byte[] OaepEncode(ReadOnlySpan<byte> message, ReadOnlySpan<byte> seed, int length)
    {
        var hashLength = EmptyLabelHash.Length;
        if (seed.Length != hashLength || message.Length > length - 2 * hashLength - 2)
        {
            throw new CryptographicException("The message is too long for the RSA key.");
        }

        var dataBlock = new byte[length - hashLength - 1];
        EmptyLabelHash.CopyTo(dataBlock, 0);
        dataBlock[^(message.Length + 1)] = 0x01;
        message.CopyTo(dataBlock.AsSpan(dataBlock.Length - message.Length));
        Xor(dataBlock, Mgf1(seed, dataBlock.Length));
        var maskedSeed = seed.ToArray();
        Xor(maskedSeed, Mgf1(dataBlock, hashLength));

        var encoded = new byte[length];
        maskedSeed.CopyTo(encoded, 1);
        dataBlock.CopyTo(encoded, 1 + hashLength);
        return encoded;
    }

    private static byte[] OaepDecode(byte[] encoded)
    {
        var hashLength = EmptyLabelHash.Length;
        if (encoded.Length < 2 * hashLength + 2 || encoded[0] != 0)
        {
            throw new CryptographicException("A wrapped key block does not decode.");
        }

        var seed = encoded[1..(1 + hashLength)];
        var dataBlock = encoded[(1 + hashLength)..];
        Xor(seed, Mgf1(dataBlock, hashLength));
        Xor(dataBlock, Mgf1(seed, dataBlock.Length));
        if (!dataBlock.AsSpan(0, hashLength).SequenceEqual(EmptyLabelHash))
        {
            throw new CryptographicException("A wrapped key block does not decode.");
        }

        var separator = dataBlock.AsSpan(hashLength).IndexOfAnyExcept((byte)0);
        if (separator < 0 || dataBlock[hashLength + separator] != 0x01)
        {
            throw new CryptographicException("A wrapped key block does not decode.");
        }

        return dataBlock[(hashLength + separator + 1)..];
    }

    private static byte[] Mgf1(ReadOnlySpan<byte> seed, int length)
    {
        var mask = new byte[length];
        var input = new byte[seed.Length + 4];
        seed.CopyTo(input);
        for (var (counter, offset) = (0u, 0); offset < length; counter++, offset += 32)
        {
            BinaryPrimitives.WriteUInt32BigEndian(input.AsSpan(seed.Length), counter);
            var digest = SHA256.HashData(input);
            digest.AsSpan(0, Math.Min(digest.Length, length - offset)).CopyTo(mask.AsSpan(offset));
        }

        return mask;
    }

    private static void Xor(Span<byte> target, ReadOnlySpan<byte> mask)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] ^= mask[i];
        }
    }
}
