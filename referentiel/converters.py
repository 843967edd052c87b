class VersionLabelConverter:
    regex = r"v[0-9][0-9A-Za-z.-]{0,18}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


class CodeConverter:
    regex = r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)
