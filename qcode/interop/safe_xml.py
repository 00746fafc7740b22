"""Parsing untrusted XML (REFI-QDA project and codebook files) without entity tricks.

The parser resolves no entities, loads no DTD, never touches the network and keeps libxml2's limits on
huge documents. Beyond that, any document type declaration is refused: REFI-QDA files never have one,
and it is where entity-expansion ("billion laughs") and external-entity attacks live.
"""

from __future__ import annotations

from lxml import etree

from qcode.errors import InputError, Problem
from qcode.i18n import _


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=False,  # qcode's own data travels in processing instructions
    )


def parse_xml(data: bytes, where: str, namespace: str, root_tag: str) -> etree._Element:
    """The root element of `data`, which must be `{namespace}root_tag`; `where` labels problems."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise _refuse_dtd(where)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise InputError(problems=[Problem(_("the XML cannot be read: {problem}").format(problem=exc.msg), where,
                                           exc.lineno or None)]) \
            from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise _refuse_dtd(where)
    expected = f"{{{namespace}}}{root_tag}"
    if root.tag != expected:
        found = etree.QName(root)
        if found.localname == root_tag and not found.namespace:
            hint = _('; it has no namespace, REFI-QDA needs xmlns="{namespace}"').format(namespace=namespace)
        elif found.localname == root_tag:
            hint = _('; its namespace is "{found}", REFI-QDA needs "{namespace}"').format(found=found.namespace,
                                                                                          namespace=namespace)
        else:
            hint = ""
        raise InputError(problems=[Problem(
            _('the root element is <{found}> in namespace "{found_namespace}", not <{expected}> in "{namespace}"')
            .format(found=found.localname, found_namespace=found.namespace or "", expected=root_tag, namespace=namespace)
            + hint, where, root.sourceline)])
    return root


def _refuse_dtd(where: str) -> InputError:
    return InputError(problems=[Problem(
        _("the XML has a document type declaration (<!DOCTYPE> or <!ENTITY>); REFI-QDA files have none, and "
          "entity declarations can expand without limit or read local files, so the file is refused"), where)])
