package consult

// ApplyTagged lets the external tests follow characters through ops the
// same way as the internal ones (tagged, in anchor_unit_test.go).
var ApplyTagged = tagged
