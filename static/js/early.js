// Marks the page as running JavaScript before it is drawn: the mobile menu folds only then (base.html).
document.documentElement.classList.add("js");
